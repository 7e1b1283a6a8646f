/**
 * POST …/invites: host only, group only, never past maxParticipants (the
 * host counts), a denied invitee's place freed, an identity invited at most
 * once; and a pair holds exactly two.
 */
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { admittedGroup, bearer, connect, createConsultation, errorCode, join, lobbyGuest, ORIGIN, partnerToken, postJson, practitionerToken } from "./helpers.ts";

const invite = (id: string, token: string, body: unknown = {}) => postJson(`/api/v1/consultations/${id}/invites`, body, bearer(token));

describe("invites", () => {
  it("a pair is fixed at creation: inviting a third person is 403", async () => {
    const { id, hostToken } = await createConsultation();
    const response = await invite(id, hostToken, { name: "Third" });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("a pair's code lets exactly one guest in: a second redemption is 409", async () => {
    const { id, invite: first } = await createConsultation();
    expect((await join(id, { code: first.code! })).status).toBe(200);
    expect((await join(id, { code: first.code! })).status).toBe(409);
  });

  it("a group invites up to maxParticipants (host included), then 409 full", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", maxParticipants: 4, invitee: {} });
    for (let i = 0; i < 2; i++) expect((await invite(id, hostToken)).status).toBe(201);
    const full = await invite(id, hostToken);
    expect(full.status).toBe(409);
    expect(await errorCode(full)).toBe("full");
  });

  it("parallel invites never overshoot the cap", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", maxParticipants: 3, invitee: {} });
    const statuses = (await Promise.all([invite(id, hostToken), invite(id, hostToken), invite(id, hostToken)])).map((r) => r.status);
    expect(statuses.sort()).toEqual([201, 409, 409]);
  });

  it("answers the same invite object as create: code, fragment URL, the consultation's expiry", async () => {
    const { id, hostToken, expiresAt } = await createConsultation({ mode: "group", invitee: {} });
    const guest = (await (await invite(id, hostToken, { name: "Kari" })).json()) as { invite: { code: string; url: string; expiresAt: string } };
    expect(guest.invite.url).toBe(`${ORIGIN}/join#consultation=${id}&code=${guest.invite.code}`);
    expect(guest.invite.expiresAt).toBe(expiresAt);
    const known = (await (await invite(id, hostToken, { sub: "client-7" })).json()) as { invite: { code?: string; url: string } };
    expect(known.invite.code).toBeUndefined();
    expect(known.invite.url).toBe(`${ORIGIN}/join#consultation=${id}`);
  });

  it("a new code works once; the person it names can then join", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", invitee: {} });
    const { invite: fresh } = (await (await invite(id, hostToken)).json()) as { invite: { code: string } };
    expect((await join(id, { code: fresh.code })).status).toBe(200);
    expect((await join(id, { code: fresh.code })).status).toBe(409);
  });

  it("only the host invites: another practitioner, a client, an admitted guest's token", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { id } = await createConsultation({ mode: "group", invitee: { sub } });
    for (const token of [await practitionerToken(), await partnerToken({ sub, role: "client" }), await partnerToken({ sub, role: "practitioner" })]) {
      const response = await invite(id, token);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe("forbidden");
    }
  });

  it("the host is the creating identity, not a name: another sub named like the host is refused", async () => {
    const { id } = await createConsultation({ mode: "group", invitee: {} });
    const impostor = await partnerToken({ role: "practitioner", name: "Kari Fysio" });
    expect((await invite(id, impostor)).status).toBe(403);
  });

  it("a denied invitee's place is freed", async () => {
    const { created, host } = await admittedGroup(0, 3);
    // Host + Guest 0 (never came) + one more: full.
    const waiting = await lobbyGuest(created, "Waiting");
    await host.nextWhere("knock", (m) => m.participant.id === waiting.id);
    expect((await invite(created.id, created.hostToken)).status).toBe(409);
    host.send({ type: "deny", id: waiting.id });
    await host.nextWhere("lobby-left", (m) => m.id === waiting.id);
    expect((await invite(created.id, created.hostToken)).status).toBe(201);
  });

  describe("an identity is a member at most once (409 already_invited), so a token join never picks one of two", () => {
    it("the host's own sub as the invitee at creation", async () => {
      const sub = `practitioner-${crypto.randomUUID()}`;
      const hostToken = await practitionerToken(sub);
      for (const mode of ["pair", "group"]) {
        const response = await postJson("/api/v1/consultations", { mode, invitee: { sub } }, bearer(hostToken));
        expect(response.status).toBe(409);
        expect(await errorCode(response)).toBe("already_invited");
      }
    });

    it("the host's own sub through /invites", async () => {
      const { id, hostToken } = await createConsultation({ mode: "group", invitee: {} });
      const hostSub = decodeJwt(hostToken).sub!;
      const response = await invite(id, hostToken, { sub: hostSub });
      expect(response.status).toBe(409);
      expect(await errorCode(response)).toBe("already_invited");
    });

    it("a second invite of the same sub, at creation or later, and in parallel", async () => {
      const sub = `client-${crypto.randomUUID()}`;
      const { id, hostToken } = await createConsultation({ mode: "group", invitee: { sub } });
      const again = await invite(id, hostToken, { sub, name: "Someone else" });
      expect(again.status).toBe(409);
      expect(await errorCode(again)).toBe("already_invited");

      const other = `client-${crypto.randomUUID()}`;
      const parallel = await Promise.all([invite(id, hostToken, { sub: other }), invite(id, hostToken, { sub: other })]);
      expect(parallel.map((r) => r.status).sort()).toEqual([201, 409]);
      // Each still joins as its one member; the group did not fill with duplicates.
      expect((await join(id, { token: await partnerToken({ sub, role: "client" }) })).status).toBe(200);
      expect((await join(id, { token: await partnerToken({ sub: other, role: "client" }) })).status).toBe(200);
      expect((await invite(id, hostToken)).status).toBe(201);
    });

    it("a denied sub cannot be slipped back in with a fresh invite", async () => {
      const sub = `client-${crypto.randomUUID()}`;
      const { created, host } = await admittedGroup(0);
      expect((await invite(created.id, created.hostToken, { sub })).status).toBe(201);
      const token = await partnerToken({ sub, role: "client" });
      const waiting = await connect(created.id, { token });
      host.send({ type: "deny", id: (await host.next("knock")).participant.id });
      await waiting.closeEvent();
      const response = await invite(created.id, created.hostToken, { sub });
      expect(response.status).toBe(409);
      expect(await errorCode(response)).toBe("already_invited");
      expect((await join(created.id, { token })).status).toBe(403);
    });
  });

  it("unknown or malformed consultation ids are 404", async () => {
    const token = await practitionerToken();
    expect((await invite("0".repeat(64), token)).status).toBe(404);
    expect((await invite("nope", token)).status).toBe(404);
  });

  it("refuses a malformed invitee body", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", invitee: {} });
    const response = await invite(id, hostToken, { sub: 7 });
    expect(response.status).toBe(400);
    expect(await errorCode(response)).toBe("invalid_request");
  });

  it("a connected host's invitee reaches the lobby", async () => {
    const { created, host } = await admittedGroup(0);
    const guest = await lobbyGuest(created, "Kari");
    const knock = await host.next("knock");
    expect(knock.participant).toEqual({ id: guest.id, name: "Kari", role: "guest", verified: "code" });
  });
});
