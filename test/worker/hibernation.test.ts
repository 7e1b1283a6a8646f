/**
 * Hibernation: the object keeps nothing that matters in memory. After an
 * eviction (sockets hibernated, instance torn down) the lobby, admission,
 * the relay, replacement and the end still behave.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admittedGroup, admittedPair, connect, createConsultation, lobbyGuest, settle, stubOf } from "./helpers.ts";

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
});
