/**
 * The host's grace period (HOST_GRACE_SECONDS = 120 here): it starts when
 * the host's last socket closes; if the host is not back when it runs out,
 * everyone gets `ended {reason: "host-away"}`; a host back in time keeps
 * the call.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Meta } from "../../worker/storage-schema.ts";
import { admittedPair, connect, editStorage, settle, stubOf } from "./helpers.ts";

const GRACE_MS = 120_000;

const readMeta = (id: string) =>
  runInDurableObject(stubOf(id), async (_instance, state) => ({
    meta: await state.storage.get<Meta>("meta"),
    alarm: await state.storage.getAlarm(),
  }));

/** Waits until the object has noticed the host is gone, and returns when. */
async function hostAwaySince(id: string): Promise<number> {
  for (let i = 0; i < 40; i++) {
    const { meta } = await readMeta(id);
    if (meta?.hostAwaySince !== undefined) return meta.hostAwaySince;
    await settle(25);
  }
  throw new Error("timed out waiting for hostAwaySince");
}

/** Moves the host's departure `ms` into the past. */
async function backdateHostAway(id: string, ms: number) {
  await editStorage(id, async (storage) => {
    const meta = (await storage.get<Meta>("meta"))!;
    meta.hostAwaySince = meta.hostAwaySince! - ms;
    await storage.put("meta", meta);
  });
}

describe("host grace", () => {
  it("the grace starts when the host's socket closes: alarm at departure + 120 s", async () => {
    const { created, host, guest } = await admittedPair();
    expect((await readMeta(created.id)).meta!.hostAwaySince).toBeUndefined();
    const before = Date.now();
    host.close();
    expect((await guest.next("peer-left")).id).toBeTruthy();
    const since = await hostAwaySince(created.id);
    expect(since).toBeGreaterThanOrEqual(before - 5);
    expect((await readMeta(created.id)).alarm).toBe(since + GRACE_MS);
  });

  it("host away past the grace: everyone gets ended host-away, 4000, storage deleted", async () => {
    const { created, host, guest } = await admittedPair();
    host.close();
    await hostAwaySince(created.id);
    await backdateHostAway(created.id, GRACE_MS + 1000);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect((await guest.next("ended")).reason).toBe("host-away");
    expect((await guest.closeEvent()).code).toBe(4000);
    const { meta, alarm } = await readMeta(created.id);
    expect(meta).toBeUndefined();
    expect(alarm).toBeNull();
  });

  it("an alarm within the grace ends nothing", async () => {
    const { created, host, guest } = await admittedPair();
    host.close();
    await hostAwaySince(created.id);
    await backdateHostAway(created.id, GRACE_MS / 2);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect(await guest.received("ended", 100)).toBe(false);
    expect((await readMeta(created.id)).alarm).not.toBeNull();
  });

  it("a host back within the grace keeps the call: no end, and the relay works", async () => {
    const { created, host, guest, guestId } = await admittedPair();
    host.close();
    await hostAwaySince(created.id);
    await backdateHostAway(created.id, GRACE_MS - 10_000);
    const back = await connect(created.id, { token: created.hostToken });
    const welcome = await back.next("welcome");
    expect(welcome.participants.map((p) => p.id)).toContain(guestId);
    expect((await readMeta(created.id)).meta!.hostAwaySince).toBeUndefined();
    // Whatever alarm is left (the expiry) ends nothing now.
    await runDurableObjectAlarm(stubOf(created.id));
    expect(await guest.received("ended", 100)).toBe(false);
    back.send({ type: "signal", to: guestId, data: { back: true } });
    expect((await guest.next("signal")).data).toEqual({ back: true });
  });

  it("a guest leaving does not start the host's grace", async () => {
    const { created, guest, host } = await admittedPair();
    guest.close();
    await host.next("peer-left");
    expect((await readMeta(created.id)).meta!.hostAwaySince).toBeUndefined();
  });
});
