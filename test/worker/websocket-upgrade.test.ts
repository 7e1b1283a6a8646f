/**
 * GET …/ws: every refusal is an HTTP error before the upgrade — Origin
 * (403), not an upgrade (426), unknown or ended consultation (404/410).
 */
import { describe, expect, it } from "vitest";
import { api, connect, createConsultation, errorCode, ORIGIN, PARTNER_ORIGIN, ticketFor, upgrade } from "./helpers.ts";

describe("websocket upgrade", () => {
  it("the worker's own origin and an allowed partner origin may open a socket", async () => {
    const { id, hostToken } = await createConsultation();
    for (const origin of [ORIGIN, PARTNER_ORIGIN]) {
      const { ticket } = await ticketFor(id, { token: hostToken });
      const response = await upgrade(id, ticket, origin);
      expect(response.status).toBe(101);
      response.webSocket!.accept();
    }
  });

  it("a foreign Origin is 403, and the ticket is not spent", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    for (const origin of ["https://evil.example", "https://partner.example.evil.example", "null", "https://partner.example:8443"]) {
      const response = await upgrade(id, ticket, origin);
      expect(response.status, origin).toBe(403);
      expect(response.webSocket).toBeNull();
      expect(await errorCode(response)).toBe("forbidden");
    }
    expect((await upgrade(id, ticket)).status).toBe(101);
  });

  it("a missing Origin is 403", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const response = await upgrade(id, ticket, null);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("a request that is not an upgrade is 426", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const response = await api(`/api/v1/consultations/${id}/ws?ticket=${ticket}`, { headers: { origin: ORIGIN } });
    expect(response.status).toBe(426);
    expect(await errorCode(response)).toBe("invalid_request");
  });

  it("an unknown or malformed consultation is 404", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    expect((await upgrade("e".repeat(64), ticket)).status).toBe(404);
    expect((await upgrade("../admin", ticket)).status).toBe(404);
  });

  it("an ended consultation is 404 or 410 for a ticket issued before the end", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    expect((await api(`/api/v1/consultations/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${hostToken}` } })).status).toBe(204);
    const response = await upgrade(id, ticket);
    expect([404, 410]).toContain(response.status);
    expect(response.webSocket).toBeNull();
  });

  it("ping is answered pong by the runtime", async () => {
    const { id, hostToken } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    host.send("ping");
    expect(await host.nextText()).toBe("pong");
  });
});
