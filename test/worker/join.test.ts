/**
 * POST …/join: only invited identities get a ticket; a code is single use
 * (also under a race); guests get a resume token, token holders do not; a
 * resume rotates on every use (also under a race); a denied guest's resume
 * is 403.
 */
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { JoinResponse } from "../../worker/protocol.ts";
import { api, bearer, connect, createConsultation, errorCode, join, partnerToken, postJson, practitionerToken, stubOf, ticketFor, knockingPair, deniedKnownInvitee } from "./helpers.ts";

describe("join", () => {
  it("the host gets a single ticket valid 60 s, and no resume token", async () => {
    const { id, hostToken } = await createConsultation();
    const before = Date.now();
    const response = await join(id, { token: hostToken });
    expect(response.status).toBe(200);
    const body = (await response.json()) as JoinResponse;
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "ticket"]);
    const expires = Date.parse(body.expiresAt);
    expect(expires).toBeGreaterThan(before);
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("a guest with a code gets a ticket and a resume token", async () => {
    const { id, invite } = await createConsultation();
    const body = await ticketFor(id, { code: invite.code! });
    expect(body.ticket).toBeTruthy();
    expect(body.resume).toBeTruthy();
    expect(body.resume).not.toBe(invite.code);
  });

  it("a known invitee joins with their token; the invite's name fills in when the token has none", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { id, hostToken } = await createConsultation({ invitee: { sub, name: "Ola Nordmann" } });
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { token: await partnerToken({ sub, role: "client" }) });
    const { you } = await guest.next("lobby");
    expect(you).toMatchObject({ name: "Ola Nordmann", role: "guest", verified: "token" });
    expect(you.id).not.toBe(sub);
  });

  it("the token's name wins over the invite's", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { id } = await createConsultation({ invitee: { sub, name: "From invite" } });
    const guest = await connect(id, { token: await partnerToken({ sub, role: "client", name: "From token" }) });
    expect((await guest.next("lobby")).you.name).toBe("From token");
  });

  it("a guest without any name is a neutral default", async () => {
    const { id, invite } = await createConsultation({ invitee: {} });
    const guest = await connect(id, { code: invite.code! });
    const { you } = await guest.next("lobby");
    expect(you.name).toBeTruthy();
    expect(you).toMatchObject({ role: "guest", verified: "code" });
  });

  it("an uninvited identity gets no ticket (403): another practitioner, a stranger client", async () => {
    const { id } = await createConsultation({ invitee: { sub: "client-invited" } });
    for (const token of [await practitionerToken(), await partnerToken({ sub: "client-stranger", role: "client" })]) {
      const response = await join(id, { token });
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe("forbidden");
    }
  });

  it("an unknown code is 403", async () => {
    const { id } = await createConsultation();
    const response = await join(id, { code: "A".repeat(24) });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("another consultation's code is 403", async () => {
    const a = await createConsultation();
    const b = await createConsultation();
    expect((await join(a.id, { code: b.invite.code! })).status).toBe(403);
  });

  it("a code redeemed twice is 409 code_used", async () => {
    const { id, invite } = await createConsultation();
    expect((await join(id, { code: invite.code! })).status).toBe(200);
    const again = await join(id, { code: invite.code! });
    expect(again.status).toBe(409);
    expect(await errorCode(again)).toBe("code_used");
  });

  it("a code redeemed twice in parallel: exactly one 200 and one 409", async () => {
    const { id, invite } = await createConsultation();
    const responses = await Promise.all([join(id, { code: invite.code! }), join(id, { code: invite.code! })]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("a code redeemed five times in parallel still lets exactly one in", async () => {
    const { id, invite } = await createConsultation();
    const responses = await Promise.all(Array.from({ length: 5 }, () => join(id, { code: invite.code! })));
    expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(4);
  });

  it("resume gives the same guest new tickets", async () => {
    const { id, invite } = await createConsultation();
    const first = await ticketFor(id, { code: invite.code! });
    const again = await ticketFor(id, { resume: first.resume! });
    expect(again.ticket).not.toBe(first.ticket);
    expect(again.ticket.split(".")[0]).toBe(first.ticket.split(".")[0]);
  });

  it("resume rotates: each join answers a new one, and the one presented is 401 from then on", async () => {
    const { id, invite } = await createConsultation();
    const first = await ticketFor(id, { code: invite.code! });
    const second = await ticketFor(id, { resume: first.resume! });
    expect(second.resume).toBeTruthy();
    expect(second.resume).not.toBe(first.resume);
    const reused = await join(id, { resume: first.resume! });
    expect(reused.status).toBe(401);
    expect(await errorCode(reused)).toBe("unauthorized");
    const third = await ticketFor(id, { resume: second.resume! });
    expect(third.resume).not.toBe(second.resume);
    expect((await join(id, { resume: second.resume! })).status).toBe(401);
    // The rotation is written, not only remembered: an eviction changes nothing.
    await evictDurableObject(stubOf(id));
    expect((await join(id, { resume: first.resume! })).status).toBe(401);
    expect((await join(id, { resume: third.resume! })).status).toBe(200);
  });

  it("two joins in parallel with one resume: exactly one gets a ticket", async () => {
    const { id, invite } = await createConsultation();
    const { resume } = await ticketFor(id, { code: invite.code! });
    const responses = await Promise.all([join(id, { resume: resume! }), join(id, { resume: resume! })]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 401]);
    const winner = (await responses.find((r) => r.status === 200)!.json()) as { resume: string };
    expect((await join(id, { resume: winner.resume })).status).toBe(200);
  });

  it("a forged resume token is 401", async () => {
    const { id, invite } = await createConsultation();
    const { resume } = await ticketFor(id, { code: invite.code! });
    const [memberId] = resume!.split(".");
    const response = await join(id, { resume: `${memberId}.${"x".repeat(32)}` });
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("unauthorized");
    expect((await join(id, { resume: "garbage" })).status).toBe(401);
  });

  it("a join without token, code or resume is 401", async () => {
    const { id } = await createConsultation();
    const response = await postJson(`/api/v1/consultations/${id}/join`, {});
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("unauthorized");
  });

  it("an unknown or malformed consultation is 404", async () => {
    const { invite } = await createConsultation();
    expect((await join("f".repeat(64), { code: invite.code! })).status).toBe(404);
    expect((await join("not-an-id", { code: invite.code! })).status).toBe(404);
    expect((await api(`/api/v1/consultations/${"A".repeat(64)}/join`, { method: "POST", headers: bearer(await practitionerToken()) })).status).toBe(404);
  });

  it("a denied guest's resume is 403", async () => {
    const { id, host, guest, participant } = await knockingPair();
    host.send({ type: "deny", id: participant.id });
    await guest.closeEvent();
    const response = await join(id, { resume: guest.resume! });
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("a denied known invitee's token is 403", async () => {
    const { id, token } = await deniedKnownInvitee();
    expect((await join(id, { token })).status).toBe(403);
  });
});
