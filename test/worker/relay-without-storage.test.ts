/**
 * The relay's hot path: a signal is answered from memory. Every storage
 * method of the live object is wrapped to count its calls; signals in both
 * directions then count none, while a join on the same instance (the
 * control) counts its write, so the spy provably sees the object's storage.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admittedPair, join, stubOf } from "./helpers.ts";

const STORAGE_METHODS = ["get", "list", "put", "delete", "deleteAll", "getAlarm", "setAlarm", "deleteAlarm", "transaction", "sync"];

/** Wraps the live instance's storage methods; returns nothing, calls are kept on the instance. */
function spyOnStorage(id: string) {
  return runInDurableObject(stubOf(id), (instance, state) => {
    const calls: string[] = [];
    const storage = state.storage as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of STORAGE_METHODS) {
      const original = storage[name]!;
      storage[name] = (...args: unknown[]) => {
        calls.push(name);
        return original.apply(state.storage, args);
      };
    }
    // The object reaches its storage through ctx: the spy must sit there.
    expect((instance as unknown as { ctx: DurableObjectState }).ctx.storage).toBe(state.storage);
    Object.assign(instance, { storageCalls: calls });
  });
}

const storageCalls = (id: string) =>
  runInDurableObject(stubOf(id), (instance) => [...(instance as unknown as { storageCalls: string[] }).storageCalls]);

describe("relay without storage", () => {
  it("signals both ways do no storage I/O; a join on the same instance does", async () => {
    const { created, host, guest, guestId, hostId } = await admittedPair();
    await spyOnStorage(created.id);
    for (let n = 0; n < 10; n++) {
      guest.send({ type: "signal", to: hostId, data: { n } });
      host.send({ type: "signal", to: guestId, data: { n } });
    }
    for (let n = 0; n < 10; n++) {
      expect((await host.next("signal")).data).toEqual({ n });
      expect((await guest.next("signal")).data).toEqual({ n });
    }
    // A signal to nobody is refused from memory too.
    guest.send({ type: "signal", to: "pNobodyAtAll0", data: {} });
    expect((await guest.next("error")).code).toBe("not_found");
    expect(await storageCalls(created.id)).toEqual([]);

    expect((await join(created.id, { token: created.hostToken })).status).toBe(200);
    expect(await storageCalls(created.id)).toContain("put");
  });
});
