/**
 * The host takes someone out: `{"type":"remove","id"}` on the socket, or
 * `DELETE /api/v1/consultations/:id/participants/:participantId`. A removed
 * person is like a denied one from then on: no ticket, no resume, no token
 * join, no place in the group. Every rule here is also tried from the side
 * that must not get through.
 */
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../worker/protocol.ts";
import { auditOf, hasEnded } from "./audit-helpers.ts";
import {
  admittedGroup,
  admittedPair,
  api,
  bearer,
  connect,
  createConsultation,
  errorCode,
  join,
  knockingPair,
  lobbyGuest,
  PARTNER_ORIGIN,
  partnerToken,
  postJson,
  practitionerToken,
  ticketFor,
  upgrade,
} from "./helpers.ts";

const removeOverHttp = (id: string, participantId: string, token: string, headers: Record<string, string> = {}) =>
  api(`/api/v1/consultations/${id}/participants/${participantId}`, { method: "DELETE", headers: { ...bearer(token), ...headers } });

const typesOf = (events: AuditEvent[], participantId: string) =>
  events.filter((e) => e.participant?.id === participantId).map((e) => e.type);

/** The id an invite got, read from its `invited` audit event (the partner hears it in `invite.created`). */
async function invitedIds(consultation: string, count: number): Promise<string[]> {
  const events = await auditOf(consultation, (all) => all.filter((e) => e.type === "invited").length >= count);
  return events.filter((e) => e.type === "invited").map((e) => e.participant!.id);
}

describe("remove over the socket", () => {
  it("the removed guest gets `removed`, then the close 4011; the others get peer-left", async () => {
    const { host, guests } = await admittedGroup(2);
    const [gone, stays] = guests as [(typeof guests)[number], (typeof guests)[number]];
    host.send({ type: "remove", id: gone.id });
    expect(await gone.next("removed")).toEqual({ type: "removed" });
    expect((await gone.closeEvent()).code).toBe(4011);
    // Nothing came between the message and the close.
    expect(gone.messages).toEqual([]);
    expect((await host.next("peer-left")).id).toBe(gone.id);
    expect((await stays.next("peer-left")).id).toBe(gone.id);
  });

  it("a removed guest's resume is 403 forbidden, and so are their tickets", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    // The resume rotates on every use: the ticket's join answered the live one.
    const { ticket, resume } = await ticketFor(created.id, { resume: guest.resume! });
    host.send({ type: "remove", id: guestId });
    await guest.closeEvent();
    const response = await join(created.id, { resume: resume! });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
    // A ticket fetched before the removal died with it.
    expect((await upgrade(created.id, ticket)).status).toBe(401);
  });

  it("a removed known invitee's token join is 403 forbidden, and their view too", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const created = await createConsultation({ invitee: { sub } });
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    const token = await partnerToken({ sub, role: "client" });
    const invitee = await connect(created.id, { token });
    const { participant } = await host.next("knock");
    host.send({ type: "admit", id: participant.id });
    await invitee.next("welcome");
    host.send({ type: "remove", id: participant.id });
    expect((await invitee.closeEvent()).code).toBe(4011);
    const response = await join(created.id, { token });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
    expect((await api(`/api/v1/consultations/${created.id}`, { headers: bearer(token) })).status).toBe(403);
  });

  it("a non-host sending remove gets error forbidden, and nobody is removed", async () => {
    const { host, guests, hostId } = await admittedGroup(2);
    const [rogue, target] = guests as [(typeof guests)[number], (typeof guests)[number]];
    for (const id of [target.id, hostId]) {
      rogue.send({ type: "remove", id });
      expect((await rogue.next("error")).code).toBe("forbidden");
    }
    expect(await target.received("removed", 150)).toBe(false);
    expect(target.closed).toBeUndefined();
    expect(await host.received("peer-left", 0)).toBe(false);
    // The target is still in the call.
    rogue.send({ type: "signal", to: target.id, data: { still: "here" } });
    expect((await target.next("signal")).data).toEqual({ still: "here" });
  });

  it("a waiting guest may not remove anyone either", async () => {
    const { guest, host, participant } = await knockingPair();
    guest.send({ type: "remove", id: participant.id });
    expect((await guest.next("error")).code).toBe("forbidden");
    expect(await host.received("lobby-left", 100)).toBe(false);
  });

  it("the host cannot remove themself: error invalid_request, the call goes on", async () => {
    const { host, hostId, guest } = await admittedPair();
    host.send({ type: "remove", id: hostId });
    expect((await host.next("error")).code).toBe("invalid_request");
    expect(host.closed).toBeUndefined();
    expect(await guest.received("peer-left", 100)).toBe(false);
  });

  it("an unknown id is error not_found; a malformed remove is invalid_request", async () => {
    const { host } = await admittedPair();
    host.send({ type: "remove", id: "pnobody0000000" });
    expect((await host.next("error")).code).toBe("not_found");
    host.send({ type: "remove" });
    expect((await host.next("error")).code).toBe("invalid_request");
    host.send({ type: "remove", id: 42 });
    expect((await host.next("error")).code).toBe("invalid_request");
  });

  it("one already removed, or denied, is not_found", async () => {
    const { host, guests, created } = await admittedGroup(1);
    host.send({ type: "remove", id: guests[0]!.id });
    await guests[0]!.closeEvent();
    host.send({ type: "remove", id: guests[0]!.id });
    expect((await host.next("error")).code).toBe("not_found");

    const waiting = await lobbyGuest(created, "Knut");
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    host.send({ type: "deny", id: waiting.id });
    await waiting.closeEvent();
    host.send({ type: "remove", id: waiting.id });
    expect((await host.next("error")).code).toBe("not_found");
  });

  it("removing a waiting person: they get removed and 4011, the host lobby-left, nobody peer-left", async () => {
    const { host, guest, participant } = await knockingPair();
    host.send({ type: "remove", id: participant.id });
    expect(await guest.next("removed")).toEqual({ type: "removed" });
    expect((await guest.closeEvent()).code).toBe(4011);
    expect((await host.next("lobby-left")).id).toBe(participant.id);
    expect(await host.received("peer-left", 0)).toBe(false);
  });

  it("the removed person's place in a group is freed", async () => {
    const created = await createConsultation({ mode: "group", maxParticipants: 3, invitee: { name: "Ada" } });
    const invite = () => postJson(`/api/v1/consultations/${created.id}/invites`, {}, bearer(created.hostToken));
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(409);
    const [ada] = await invitedIds(created.id, 2);
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    const guest = await connect(created.id, { code: created.invite.code! });
    expect((await host.next("knock")).participant.id).toBe(ada);
    host.send({ type: "admit", id: ada! });
    await guest.next("welcome");
    host.send({ type: "remove", id: ada! });
    await guest.closeEvent();
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(409);
  });

  it("an invitee who never came can be removed: the invite is revoked and its place freed", async () => {
    const created = await createConsultation({ mode: "group", maxParticipants: 2, invitee: { name: "Bo" } });
    const [bo] = await invitedIds(created.id, 1);
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    host.send({ type: "remove", id: bo! });
    expect(await host.received("error", 150)).toBe(false);
    const response = await join(created.id, { code: created.invite.code! });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
    expect((await postJson(`/api/v1/consultations/${created.id}/invites`, {}, bearer(created.hostToken))).status).toBe(201);
  });

  it("someone admitted who left already: removed, with no second peer-left", async () => {
    const { host, guests } = await admittedGroup(2);
    const [gone, stays] = guests as [(typeof guests)[number], (typeof guests)[number]];
    gone.close();
    await stays.nextWhere("peer-left", (m) => m.id === gone.id);
    await host.nextWhere("peer-left", (m) => m.id === gone.id);
    host.send({ type: "remove", id: gone.id });
    expect(await stays.received("peer-left", 150)).toBe(false);
    expect(await host.received("error", 0)).toBe(false);
  });
});

describe("DELETE /api/v1/consultations/:id/participants/:participantId", () => {
  it("the host: 204, and the same as remove (removed, 4011, peer-left)", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    const response = await removeOverHttp(created.id, guestId, created.hostToken);
    expect(response.status).toBe(204);
    expect(await guest.next("removed")).toEqual({ type: "removed" });
    expect((await guest.closeEvent()).code).toBe(4011);
    expect((await host.next("peer-left")).id).toBe(guestId);
    expect((await join(created.id, { resume: guest.resume! })).status).toBe(403);
  });

  it("anyone but the host is 403: the invitee, another practitioner, an auditor", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const created = await createConsultation({ mode: "group", invitee: { sub } });
    const host = await connect(created.id, { token: created.hostToken });
    const hostId = (await host.next("welcome")).you.id;
    const guestToken = await partnerToken({ sub, role: "client" });
    const guest = await connect(created.id, { token: guestToken });
    const guestId = (await host.next("knock")).participant.id;
    const others = [guestToken, await practitionerToken(), await partnerToken({ role: "auditor" })];
    for (const token of others) {
      for (const target of [guestId, hostId, "pnobody0000000"]) {
        const response = await removeOverHttp(created.id, target, token);
        expect(response.status, target).toBe(403);
        expect(await errorCode(response)).toBe("forbidden");
      }
    }
    expect(await guest.received("removed", 100)).toBe(false);
    expect((await api(`/api/v1/consultations/${created.id}/participants/${guestId}`, { method: "DELETE" })).status).toBe(401);
  });

  it("the host's own id is 400, an unknown participant 404, an unknown consultation 404", async () => {
    const { created, hostId, guestId, guest } = await admittedPair();
    const own = await removeOverHttp(created.id, hostId, created.hostToken);
    expect(own.status).toBe(400);
    expect(await errorCode(own)).toBe("invalid_request");
    const unknown = await removeOverHttp(created.id, "pnobody0000000", created.hostToken);
    expect(unknown.status).toBe(404);
    expect(await errorCode(unknown)).toBe("not_found");
    expect((await removeOverHttp("f".repeat(64), guestId, created.hostToken)).status).toBe(404);
    expect((await removeOverHttp("nonsense", guestId, created.hostToken)).status).toBe(404);
    expect(guest.closed).toBeUndefined();
  });

  it("already removed or denied is 404", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    expect((await removeOverHttp(created.id, guestId, created.hostToken)).status).toBe(204);
    await guest.closeEvent();
    expect((await removeOverHttp(created.id, guestId, created.hostToken)).status).toBe(404);

    const other = await knockingPair();
    other.host.send({ type: "deny", id: other.participant.id });
    await other.guest.closeEvent();
    expect((await removeOverHttp(other.id, other.participant.id, other.hostToken)).status).toBe(404);
    expect(host.closed).toBeUndefined();
  });

  it("answers CORS like the other API routes: the allowed origin echoed, preflight included", async () => {
    const { created, guestId } = await admittedPair();
    const path = `/api/v1/consultations/${created.id}/participants/${guestId}`;
    const preflight = await api(path, {
      method: "OPTIONS",
      headers: { origin: PARTNER_ORIGIN, "access-control-request-method": "DELETE", "access-control-request-headers": "authorization" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toContain("DELETE");
    const response = await removeOverHttp(created.id, guestId, created.hostToken, { origin: PARTNER_ORIGIN });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const foreign = await removeOverHttp(created.id, guestId, created.hostToken, { origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("remove in the audit trail", () => {
  it("someone in the call: removed by the host, then left", async () => {
    const { created, host, guest, guestId, hostId } = await admittedPair();
    host.send({ type: "remove", id: guestId });
    await guest.closeEvent();
    host.send({ type: "end" });
    await host.closeEvent();
    const events = await auditOf(created.id, hasEnded);
    expect(typesOf(events, guestId)).toEqual(["invited", "knocked", "admitted", "joined", "removed", "left"]);
    expect(events.find((e) => e.type === "removed")).toMatchObject({ by: hostId, participant: { id: guestId, role: "guest" } });
  });

  it("someone waiting: removed by the host, never left (checked once the consultation ended)", async () => {
    const { created, host, guest, participant } = await knockingPair();
    host.send({ type: "remove", id: participant.id });
    await guest.closeEvent();
    host.send({ type: "end" });
    await host.closeEvent();
    const events = await auditOf(created.id, hasEnded);
    const hostId = events.find((e) => e.type === "created")!.participant!.id;
    expect(typesOf(events, participant.id)).toEqual(["invited", "knocked", "removed"]);
    expect(events.find((e) => e.type === "removed")!.by).toBe(hostId);
  });
});
