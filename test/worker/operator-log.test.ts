/**
 * What an operator sees: every line the worker and its objects log during a
 * whole consultation is one JSON object with a stable `event`, and none
 * carries a name, a token's subject, an invite code, a ticket, a resume
 * token or SDP, even when the consultation hits every logged happening
 * (created, a refused socket, a flooding socket closed 4008, ended).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, bearer, connect, join, partnerToken, postJson, settle, TestSocket, ticketFor, upgrade } from "./helpers.ts";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";

function captureLogs(): string[] {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((arg) => (typeof arg === "string" ? arg : String(arg))).join(" "));
    });
  }
  return lines;
}

describe("the operator's log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is JSON with an event and the consultation id, and never a name, sub, code, ticket or SDP", async () => {
    const lines = captureLogs();
    const hostSub = `practitioner-sub-${crypto.randomUUID()}`;
    const hostName = "Kari Loggtest";
    const guestName = "Ola Loggtest";
    const sdp = `v=0\r\no=- ${crypto.randomUUID()} 2 IN IP4 192.0.2.55\r\n`;
    const hostToken = await partnerToken({ sub: hostSub, name: hostName, role: "practitioner" });

    const response = await postJson("/api/v1/consultations", { invitee: { name: guestName } }, bearer(hostToken));
    expect(response.status).toBe(201);
    const created = (await response.json()) as CreateConsultationResponse;
    const code = created.invite.code!;

    const host = await connect(created.id, { token: hostToken });
    await host.next("welcome");
    const guestTicket = await ticketFor(created.id, { code });
    const guestSocket = await upgrade(created.id, guestTicket.ticket);
    expect(guestSocket.status).toBe(101);
    // The same ticket again: refused, and logged as such.
    const reused = await upgrade(created.id, guestTicket.ticket);
    expect(reused.status).toBe(401);
    const guest = new TestSocket(guestSocket.webSocket!);
    const { participant } = await host.next("knock");
    host.send({ type: "admit", id: participant.id });
    await guest.next("welcome");
    await host.next("peer-joined");
    host.send({ type: "signal", to: participant.id, data: { type: "offer", sdp } });
    expect((await guest.next("signal")).data).toEqual({ type: "offer", sdp });

    // The guest comes back with its resume token, then floods until closed 4008.
    const again = await join(created.id, { resume: guestTicket.resume! });
    expect(again.status).toBe(200);
    for (let i = 0; i < 120; i++) guest.send("not json");
    expect((await guest.closeEvent()).code).toBe(4008);

    expect((await api(`/api/v1/consultations/${created.id}`, { method: "DELETE", headers: bearer(hostToken) })).status).toBe(204);
    // Audit writes and webhooks run after the answer.
    await settle(500);

    const secrets = [hostSub, hostName, guestName, code, guestTicket.ticket, guestTicket.resume!, hostToken, sdp, "192.0.2.55"];
    expect(lines.length).toBeGreaterThan(0);
    const entries = lines.map((line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(typeof entry.event, line).toBe("string");
      for (const secret of secrets) expect(line, `a log line leaks ${JSON.stringify(secret)}`).not.toContain(secret);
      return entry;
    });
    const ours = entries.filter((entry) => entry.consultation === created.id);
    expect(ours.find((e) => e.event === "consultation.created")).toBeDefined();
    expect(ours.find((e) => e.event === "socket.refused")).toMatchObject({ status: 401, error: "unauthorized" });
    expect(ours.filter((e) => e.event === "socket.closed")).toEqual([
      { event: "socket.closed", consultation: created.id, code: 4008, reason: "too many refused messages" },
    ]);
    expect(ours.find((e) => e.event === "consultation.ended")).toMatchObject({ reason: "host-ended" });
  });
});
