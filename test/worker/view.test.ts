/**
 * GET /api/v1/consultations/:id: the host or a token-holding invitee sees
 * `{id, state: "open", expiresAt, participants}`; anyone else is 403. Only
 * the host and admitted participants see who is in the call: an invitee
 * still waiting gets `participants: []`.
 */
import { describe, expect, it } from "vitest";
import type { ConsultationView } from "../../worker/protocol.ts";
import { admittedPair, api, bearer, connect, createConsultation, errorCode, partnerToken, practitionerToken, deniedKnownInvitee } from "./helpers.ts";

const view = (id: string, token: string) => api(`/api/v1/consultations/${id}`, { headers: bearer(token) });

describe("view", () => {
  it("the host sees the consultation with the participants in the call", async () => {
    const { created, guestId, hostId } = await admittedPair();
    const response = await view(created.id, created.hostToken);
    expect(response.status).toBe(200);
    const body = (await response.json()) as ConsultationView;
    expect(body).toMatchObject({ id: created.id, state: "open", expiresAt: created.expiresAt });
    expect(body.participants.map((p) => p.id).sort()).toEqual([guestId, hostId].sort());
    for (const participant of body.participants) expect(Object.keys(participant).sort()).toEqual(["id", "name", "role", "verified"]);
  });

  it("a token-holding invitee may view it", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { id } = await createConsultation({ invitee: { sub } });
    const response = await view(id, await partnerToken({ sub, role: "client" }));
    expect(response.status).toBe(200);
    expect(((await response.json()) as ConsultationView).participants).toEqual([]);
  });

  it("an invitee waiting in the lobby sees no roster, though the host is in the call; once admitted, it does", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { id, hostToken } = await createConsultation({ invitee: { sub } });
    const host = await connect(id, { token: hostToken });
    const hostId = (await host.next("welcome")).you.id;
    const token = await partnerToken({ sub, role: "client" });
    const guest = await connect(id, { token });
    const { participant } = await host.next("knock");

    const waiting = await view(id, token);
    expect(waiting.status).toBe(200);
    const waitingBody = (await waiting.json()) as ConsultationView;
    expect(waitingBody).toMatchObject({ id, state: "open" });
    expect(waitingBody.participants).toEqual([]);

    host.send({ type: "admit", id: participant.id });
    await guest.next("welcome");
    const admitted = (await (await view(id, token)).json()) as ConsultationView;
    expect(admitted.participants.map((p) => p.id).sort()).toEqual([hostId, participant.id].sort());
  });

  it("another practitioner is 403; so is a client who is not invited", async () => {
    const { id } = await createConsultation();
    for (const token of [await practitionerToken(), await partnerToken({ role: "client" })]) {
      const response = await view(id, token);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe("forbidden");
    }
  });

  it("a denied invitee may no longer view it", async () => {
    const { id, token } = await deniedKnownInvitee();
    expect((await view(id, token)).status).toBe(403);
  });

  it("unknown, malformed and ended consultations are 404/410", async () => {
    const { id, hostToken } = await createConsultation();
    expect((await view("1".repeat(64), hostToken)).status).toBe(404);
    expect((await view("xyz", hostToken)).status).toBe(404);
    await api(`/api/v1/consultations/${id}`, { method: "DELETE", headers: bearer(hostToken) });
    expect([404, 410]).toContain((await view(id, hostToken)).status);
  });
});
