/**
 * Hibernation: the object keeps its records in memory, but only as a copy of
 * storage. After an eviction (sockets hibernated, instance torn down, memory
 * empty) the lobby, admission, the relay, replacement, codes, tickets, the
 * host's grace and the end still behave.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Meta } from "../../worker/storage-schema.ts";
import {
  admittedGroup,
  admittedPair,
  bearer,
  connect,
  createConsultation,
  editStorage,
  join,
  knockingPair,
  lobbyGuest,
  postJson,
  settle,
  stubOf,
  ticketFor,
  upgrade,
} from "./helpers.ts";

const GRACE_MS = 120_000;

async function storedMeta(id: string): Promise<Meta | undefined> {
  return runInDurableObject(stubOf(id), (_instance, state) => state.storage.get<Meta>("meta"));
}

/** Waits until the object has written that the host is away. */
async function hostAwaySince(id: string): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const since = (await storedMeta(id))?.hostAwaySince;
    if (since !== undefined) return since;
    await settle(25);
  }
  throw new Error("timed out waiting for hostAwaySince");
}

describe("after eviction", () => {
  it("the relay still works, with `from` still the sender's id", async () => {
    const { created, host, guest, guestId, hostId } = await admittedPair();
    // A mark on the instance proves the eviction really tore it down.
    await runInDurableObject(stubOf(created.id), (instance) => void Object.assign(instance, { evictionMark: true }));
    await evictDurableObject(stubOf(created.id));
    expect(await runInDurableObject(stubOf(created.id), (instance) => "evictionMark" in instance)).toBe(false);
    guest.send({ type: "signal", to: hostId, from: "forged", data: { after: "eviction" } });
    expect(await host.next("signal")).toEqual({ type: "signal", from: guestId, data: { after: "eviction" } });
    host.send({ type: "signal", to: guestId, data: { n: 2 } });
    expect((await guest.next("signal")).from).toBe(hostId);
  });

  it("the roster keeps the order of invitation, though storage returns it sorted by key", async () => {
    const { created, hostId, guests } = await admittedGroup(4);
    const invited = [hostId, ...guests.map((guest) => guest.id)];
    // Random ids: with five people, a roster sorted by id passes by chance once in 120 runs.
    await evictDurableObject(stubOf(created.id));
    const again = await connect(created.id, { token: created.hostToken });
    expect((await again.next("welcome")).participants.map((p) => p.id)).toEqual(invited);
  });

  it("the lobby still holds: the waiting guest is admitted by the host and hears nothing before", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    await guest.next("lobby");
    const { participant } = await host.next("knock");
    await evictDurableObject(stubOf(id));
    // A lobby socket is still refused after the wake-up.
    guest.send({ type: "signal", to: participant.id, data: {} });
    expect((await guest.next("error")).code).toBe("forbidden");
    host.send({ type: "admit", id: participant.id });
    const welcome = await guest.next("welcome");
    expect(welcome.participants).toHaveLength(2);
    expect((await host.next("peer-joined")).participant.id).toBe(participant.id);
  });

  it("the host hears knocks from guests who arrive after the eviction", async () => {
    const { created, host } = await admittedGroup(0);
    await evictDurableObject(stubOf(created.id));
    const guest = await connect(created.id, { code: created.invite.code! });
    const { you } = await guest.next("lobby");
    expect((await host.next("knock")).participant).toEqual(you);
  });

  it("a lobby socket still receives nothing when admitted participants signal", async () => {
    const { created, host, hostId, guests } = await admittedGroup(1);
    const waitingInvite = await lobbyGuest(created);
    await host.nextWhere("knock", (m) => m.participant.id === waitingInvite.id);
    await evictDurableObject(stubOf(created.id));
    guests[0]!.send({ type: "signal", to: hostId, data: {} });
    await host.next("signal");
    await settle();
    expect(waitingInvite.messages).toEqual([]);
  });

  it("a second connection still replaces the first (4003) without peer-left", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    await evictDurableObject(stubOf(created.id));
    const second = await connect(created.id, { resume: guest.resume! });
    expect((await second.next("welcome")).you.id).toBe(guestId);
    expect((await guest.closeEvent()).code).toBe(4003);
    expect(await host.received("peer-left", 200)).toBe(false);
  });

  it("the end still reaches every socket and deletes everything", async () => {
    const { created, host, guest } = await admittedPair();
    await evictDurableObject(stubOf(created.id));
    host.send({ type: "end" });
    expect((await guest.next("ended")).reason).toBe("host-ended");
    expect((await guest.closeEvent()).code).toBe(4000);
    const keys = await runInDurableObject(stubOf(created.id), async (_instance, state) => [...(await state.storage.list()).keys()]);
    expect(keys).toEqual([]);
  });

  it("ping is still answered pong", async () => {
    const { created, host } = await admittedPair();
    await evictDurableObject(stubOf(created.id));
    host.send("ping");
    expect(await host.nextText()).toBe("pong");
  });

  it("an admission just before the eviction holds: the admitted guest signals after it", async () => {
    const { created, host, guest, participant } = await knockingPair();
    host.send({ type: "admit", id: participant.id });
    await guest.next("welcome");
    await host.next("peer-joined");
    await evictDurableObject(stubOf(created.id));
    const { hostId } = (await storedMeta(created.id))!;
    guest.send({ type: "signal", to: hostId, data: { admitted: "before eviction" } });
    expect(await host.next("signal")).toEqual({ type: "signal", from: participant.id, data: { admitted: "before eviction" } });
  });

  it("a redeemed code stays redeemed, and the resume token still works", async () => {
    const { id, invite } = await createConsultation();
    const { resume } = await ticketFor(id, { code: invite.code! });
    await evictDurableObject(stubOf(id));
    expect((await join(id, { code: invite.code! })).status).toBe(409);
    expect((await join(id, { resume: resume! })).status).toBe(200);
  });

  it("a code redeemed in parallel right after a wake-up still lets exactly one in", async () => {
    const { id, invite } = await createConsultation();
    await evictDurableObject(stubOf(id));
    const responses = await Promise.all(Array.from({ length: 5 }, () => join(id, { code: invite.code! })));
    expect(responses.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
  });

  it("a ticket taken before the eviction opens one socket after it, once", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    await evictDurableObject(stubOf(id));
    const first = await upgrade(id, ticket);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    expect((await upgrade(id, ticket)).status).toBe(401);
  });

  it("a full group is still full: invitations made before the eviction hold their places", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", maxParticipants: 3, invitee: {} });
    expect((await postJson(`/api/v1/consultations/${id}/invites`, {}, bearer(hostToken))).status).toBe(201);
    await evictDurableObject(stubOf(id));
    expect((await postJson(`/api/v1/consultations/${id}/invites`, {}, bearer(hostToken))).status).toBe(409);
  });

  it("the host's absence survives it: the alarm past the grace still ends the call host-away", async () => {
    const { created, host, guest } = await admittedPair();
    host.close();
    await guest.next("peer-left");
    const since = await hostAwaySince(created.id);
    await evictDurableObject(stubOf(created.id));
    expect((await storedMeta(created.id))!.hostAwaySince).toBe(since);
    // Moving the departure back evicts the object once more before the alarm.
    await editStorage(created.id, async (storage) => {
      const meta = (await storage.get<Meta>("meta"))!;
      await storage.put("meta", { ...meta, hostAwaySince: since - GRACE_MS - 1000 });
    });
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect((await guest.next("ended")).reason).toBe("host-away");
    expect((await guest.closeEvent()).code).toBe(4000);
    expect(await storedMeta(created.id)).toBeUndefined();
  });

  it("a host back after it ends the absence: no end at the next alarm", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    host.close();
    await guest.next("peer-left");
    await hostAwaySince(created.id);
    await evictDurableObject(stubOf(created.id));
    const back = await connect(created.id, { token: created.hostToken });
    expect((await back.next("welcome")).participants.map((p) => p.id)).toContain(guestId);
    expect((await storedMeta(created.id))!.hostAwaySince).toBeUndefined();
    await evictDurableObject(stubOf(created.id));
    await runDurableObjectAlarm(stubOf(created.id));
    expect(await guest.received("ended", 100)).toBe(false);
  });

  it("after an end nothing is joinable, even by a wake-up that reads storage again", async () => {
    const { created, host, guest } = await admittedPair();
    host.send({ type: "end" });
    await guest.closeEvent();
    expect((await join(created.id, { token: created.hostToken })).status).toBe(404);
    await evictDurableObject(stubOf(created.id));
    expect((await join(created.id, { token: created.hostToken })).status).toBe(404);
    expect((await join(created.id, { resume: guest.resume! })).status).toBe(404);
  });
});
