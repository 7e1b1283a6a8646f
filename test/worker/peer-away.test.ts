/**
 * A dropped connection is not a departure (PEER_GRACE_SECONDS = 30, the
 * default, here): an admitted participant whose last socket closes with
 * anything but 1000 is `peer-away` at once and `peer-left` only when the
 * grace runs out without a new socket; back in time, the others hear
 * `peer-back`, never `peer-joined`. A 1000 close is a departure. Time is
 * moved by editing what the object stored, then the alarm is run.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readConfig } from "../../worker/config.ts";
import type { Env } from "../../worker/env.ts";
import type { Member, Meta } from "../../worker/storage-schema.ts";
import { auditOf, hasEnded } from "./audit-helpers.ts";
import { admittedGroup, admittedPair, api, bearer, connect, editStorage, stubOf, type TestSocket } from "./helpers.ts";

const PEER_GRACE_MS = 30_000;
const HOST_GRACE_MS = 120_000;
/** A close code a browser may send that is not 1000: the connection went, the person did not mean to. */
const DROPPED = 4100;

const drop = (socket: TestSocket) => socket.ws.close(DROPPED, "network changed");

const stored = (id: string, memberId: string) =>
  runInDurableObject(stubOf(id), async (_instance, state) => ({
    member: await state.storage.get<Member>(`member:${memberId}`),
    meta: await state.storage.get<Meta>("meta"),
    alarm: await state.storage.getAlarm(),
  }));

/** Moves a member's drop `ms` into the past (evicting the object, as after hibernation). */
async function backdateAway(id: string, memberId: string, ms: number) {
  await editStorage(id, async (storage) => {
    const member = (await storage.get<Member>(`member:${memberId}`))!;
    await storage.put(`member:${memberId}`, { ...member, awaySince: member.awaySince! - ms });
  });
}

describe("a dropped connection", () => {
  it("the others get peer-away at once, not peer-left; the alarm waits for the grace", async () => {
    const { created, host, guests } = await admittedGroup(2);
    const [dropped, other] = guests as [(typeof guests)[number], (typeof guests)[number]];
    const before = Date.now();
    drop(dropped);
    expect(await host.next("peer-away")).toEqual({ type: "peer-away", id: dropped.id });
    expect(await other.next("peer-away")).toEqual({ type: "peer-away", id: dropped.id });
    expect(await host.received("peer-left", 150)).toBe(false);
    const { member, alarm } = await stored(created.id, dropped.id);
    expect(member!.awaySince).toBeGreaterThanOrEqual(before - 5);
    expect(alarm).toBe(member!.awaySince! + PEER_GRACE_MS);
  });

  it("an away participant is still in the call: in a newcomer's welcome (listed as away) and in the view", async () => {
    const { created, host, guests } = await admittedGroup(2);
    const [dropped, other] = guests as [(typeof guests)[number], (typeof guests)[number]];
    drop(dropped);
    await host.next("peer-away");
    other.close();
    await host.next("peer-left");
    const back = await connect(created.id, { resume: other.resume! });
    const welcome = await back.next("welcome");
    expect(welcome.participants.map((p) => p.id)).toContain(dropped.id);
    expect(welcome.away).toEqual([dropped.id]);
    const view = (await (await api(`/api/v1/consultations/${created.id}`, { headers: bearer(created.hostToken) })).json()) as {
      participants: { id: string }[];
    };
    expect(view.participants.map((p) => p.id)).toContain(dropped.id);
  });

  it("a signal to an away participant is dropped without an error", async () => {
    const { host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    host.send({ type: "signal", to: guestId, data: { offer: 1 } });
    expect(await host.received("error", 150)).toBe(false);
  });

  it("back within the grace: welcome as always, the others get peer-back and no peer-joined", async () => {
    const { created, host, guests, hostId } = await admittedGroup(2);
    const [dropped, other] = guests as [(typeof guests)[number], (typeof guests)[number]];
    drop(dropped);
    await host.next("peer-away");
    await other.next("peer-away");
    const back = await connect(created.id, { resume: dropped.resume! });
    const welcome = await back.next("welcome");
    expect(welcome.participants.map((p) => p.id).sort()).toEqual([hostId, dropped.id, other.id].sort());
    expect(welcome.away).toEqual([]);
    expect(await host.next("peer-back")).toEqual({ type: "peer-back", id: dropped.id });
    expect(await other.next("peer-back")).toEqual({ type: "peer-back", id: dropped.id });
    expect(await host.received("peer-joined", 150)).toBe(false);
    expect(await other.received("peer-left", 0)).toBe(false);
    const { member, meta, alarm } = await stored(created.id, dropped.id);
    expect(member!.awaySince).toBeUndefined();
    expect(alarm).toBe(meta!.expiresAt);
    // The alarm that was set for the grace ends nothing and announces nothing.
    await runDurableObjectAlarm(stubOf(created.id));
    expect(await host.received("peer-left", 100)).toBe(false);
    back.send({ type: "signal", to: hostId, data: { back: true } });
    expect((await host.next("signal")).data).toEqual({ back: true });
  });

  it("not back when the grace runs out: peer-left from the alarm; coming back later is peer-joined", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    await backdateAway(created.id, guestId, PEER_GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect(await host.next("peer-left")).toEqual({ type: "peer-left", id: guestId });
    const { member, meta, alarm } = await stored(created.id, guestId);
    expect(member!.awaySince).toBeUndefined();
    expect(alarm).toBe(meta!.expiresAt);
    const back = await connect(created.id, { resume: guest.resume! });
    await back.next("welcome");
    expect((await host.next("peer-joined")).participant.id).toBe(guestId);
    expect(await host.received("peer-back", 0)).toBe(false);
  });

  it("an alarm within the grace announces nothing", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    await backdateAway(created.id, guestId, PEER_GRACE_MS / 2);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect(await host.received("peer-left", 150)).toBe(false);
    expect((await stored(created.id, guestId)).member!.awaySince).toBeDefined();
  });

  it("back after the grace but before the late alarm: peer-left, then peer-joined", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    await backdateAway(created.id, guestId, PEER_GRACE_MS + 1000);
    const back = await connect(created.id, { resume: guest.resume! });
    await back.next("welcome");
    expect((await host.next("peer-left")).id).toBe(guestId);
    expect((await host.next("peer-joined")).participant.id).toBe(guestId);
    expect(host.messages.some((m) => m.type === "peer-back")).toBe(false);
  });

  it("the earliest away deadline sets the alarm", async () => {
    const { created, host, guests } = await admittedGroup(2);
    const [first, second] = guests as [(typeof guests)[number], (typeof guests)[number]];
    drop(first);
    await host.nextWhere("peer-away", (m) => m.id === first.id);
    drop(second);
    await host.nextWhere("peer-away", (m) => m.id === second.id);
    const a = await stored(created.id, first.id);
    expect(a.alarm).toBe(a.member!.awaySince! + PEER_GRACE_MS);
    // The first one is back: the second one's deadline is next.
    const back = await connect(created.id, { resume: first.resume! });
    await back.next("welcome");
    const b = await stored(created.id, second.id);
    expect(b.alarm).toBe(b.member!.awaySince! + PEER_GRACE_MS);
  });
});

describe("a close with 1000 is a departure", () => {
  it("peer-left at once, no peer-away, nothing left to wait for", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    guest.close();
    expect(await host.next("peer-left")).toEqual({ type: "peer-left", id: guestId });
    expect(host.messages.some((m) => m.type === "peer-away")).toBe(false);
    const { member, meta, alarm } = await stored(created.id, guestId);
    expect(member!.awaySince).toBeUndefined();
    expect(alarm).toBe(meta!.expiresAt);
  });
});

describe("eviction during the grace", () => {
  it("keeps the absence: back after an eviction is peer-back", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    const { member } = await stored(created.id, guestId);
    await evictDurableObject(stubOf(created.id));
    const after = await stored(created.id, guestId);
    expect(after.member!.awaySince).toBe(member!.awaySince);
    expect(after.alarm).toBe(member!.awaySince! + PEER_GRACE_MS);
    const back = await connect(created.id, { resume: guest.resume! });
    await back.next("welcome");
    expect((await host.next("peer-back")).id).toBe(guestId);
    expect(await host.received("peer-joined", 100)).toBe(false);
  });

  it("keeps the deadline: the alarm after an eviction still sends peer-left", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    await evictDurableObject(stubOf(created.id));
    await backdateAway(created.id, guestId, PEER_GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect((await host.next("peer-left")).id).toBe(guestId);
  });
});

describe("the host's connection drops", () => {
  it("the guests get peer-away and peer-back for the host too; the host's own grace runs as before", async () => {
    const { created, host, guest, hostId } = await admittedPair();
    drop(host);
    expect(await guest.next("peer-away")).toEqual({ type: "peer-away", id: hostId });
    const { meta, member, alarm } = await stored(created.id, hostId);
    expect(meta!.hostAwaySince).toBeDefined();
    expect(member!.awaySince).toBeDefined();
    // The peer grace (30 s) comes before the host's (120 s).
    expect(alarm).toBe(member!.awaySince! + PEER_GRACE_MS);
    const back = await connect(created.id, { token: created.hostToken });
    await back.next("welcome");
    expect(await guest.next("peer-back")).toEqual({ type: "peer-back", id: hostId });
    expect((await stored(created.id, hostId)).meta!.hostAwaySince).toBeUndefined();
  });

  it("past the peer grace the guests get peer-left for the host, and the host's grace still ends the call", async () => {
    const { created, host, guest, hostId } = await admittedPair();
    drop(host);
    await guest.next("peer-away");
    await backdateAway(created.id, hostId, PEER_GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect((await guest.next("peer-left")).id).toBe(hostId);
    expect(await guest.received("ended", 100)).toBe(false);
    const { meta, alarm } = await stored(created.id, hostId);
    expect(alarm).toBe(meta!.hostAwaySince! + HOST_GRACE_MS);
    await editStorage(created.id, async (storage) => {
      const current = (await storage.get<Meta>("meta"))!;
      await storage.put("meta", { ...current, hostAwaySince: current.hostAwaySince! - HOST_GRACE_MS });
    });
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect((await guest.next("ended")).reason).toBe("host-away");
  });
});

describe("a runtime that died with its sockets", () => {
  it("wakes with whoever was in the call away: peer-away to those still here, peer-back on return, never peer-joined", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    expect((await stored(created.id, guestId)).member!.inCall).toBe(true);
    // The guest's close is the one event a dead runtime never delivers: put
    // back what storage held before it, so the next wake-up finds the guest
    // marked in the call with no socket.
    guest.close();
    await host.next("peer-left");
    const before = Date.now();
    await editStorage(created.id, async (storage) => {
      const member = (await storage.get<Member>(`member:${guestId}`))!;
      expect(member.inCall).toBeUndefined();
      await storage.put(`member:${guestId}`, { ...member, inCall: true });
    });
    const back = connect(created.id, { resume: guest.resume! });
    expect(await host.next("peer-away")).toEqual({ type: "peer-away", id: guestId });
    const { member, alarm } = await stored(created.id, guestId);
    expect(member!.awaySince).toBeGreaterThanOrEqual(before - 5);
    expect(alarm).toBe(member!.awaySince! + PEER_GRACE_MS);
    await (await back).next("welcome");
    expect(await host.next("peer-back")).toEqual({ type: "peer-back", id: guestId });
    expect(await host.received("peer-joined", 150)).toBe(false);
  });
});

describe("removing someone who is away", () => {
  it("the others get peer-left at once; the grace is over for them", async () => {
    const { created, host, guests } = await admittedGroup(2);
    const [dropped, other] = guests as [(typeof guests)[number], (typeof guests)[number]];
    drop(dropped);
    await other.next("peer-away");
    host.send({ type: "remove", id: dropped.id });
    expect((await other.next("peer-left")).id).toBe(dropped.id);
    expect((await host.next("peer-left")).id).toBe(dropped.id);
    const { member, meta, alarm } = await stored(created.id, dropped.id);
    expect(member!.status).toBe("removed");
    expect(member!.awaySince).toBeUndefined();
    expect(alarm).toBe(meta!.expiresAt);
  });
});

describe("the audit of absences", () => {
  it("a return within the grace writes nothing; the end of the grace writes left; joined again only after it", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    drop(guest);
    await host.next("peer-away");
    const again = await connect(created.id, { resume: guest.resume! });
    await again.next("welcome");
    await host.next("peer-back");
    drop(again);
    await host.next("peer-away");
    await backdateAway(created.id, guestId, PEER_GRACE_MS + 1000);
    await runDurableObjectAlarm(stubOf(created.id));
    await host.next("peer-left");
    // The resume rotates on every use: the one the last join answered.
    const last = await connect(created.id, { resume: again.resume! });
    await last.next("welcome");
    await host.next("peer-joined");
    last.close();
    await host.next("peer-left");
    host.send({ type: "end" });
    await host.closeEvent();
    const events = await auditOf(created.id, hasEnded);
    const guestEvents = events.filter((e) => e.participant?.id === guestId).map((e) => e.type);
    expect(guestEvents).toEqual(["invited", "knocked", "admitted", "joined", "left", "joined", "left"]);
  });
});

describe("PEER_GRACE_SECONDS", () => {
  it("defaults to 30; anything but a whole number means the default", () => {
    expect(readConfig({} as Env).peerGraceSeconds).toBe(30);
    expect(readConfig({ PEER_GRACE_SECONDS: "5" } as Env).peerGraceSeconds).toBe(5);
    expect(readConfig({ PEER_GRACE_SECONDS: "0" } as Env).peerGraceSeconds).toBe(0);
    for (const value of ["-5", "abc", "1.5", " "]) expect(readConfig({ PEER_GRACE_SECONDS: value } as Env).peerGraceSeconds, value).toBe(30);
  });
});

