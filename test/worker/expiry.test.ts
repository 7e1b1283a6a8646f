/**
 * Expiry: when a consultation passes `expiresAt`, every socket gets
 * `ended {reason: "expired"}` and close 4000, all storage is deleted and it
 * can never be joined again. Time is moved by ageing `meta.expiresAt` in
 * storage, then running the alarm.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Meta } from "../../worker/storage-schema.ts";
import { admittedPair, api, bearer, connect, createConsultation, editStorage, join, stubOf } from "./helpers.ts";

async function age(id: string) {
  await editStorage(id, async (storage) => {
    const meta = (await storage.get<Meta>("meta"))!;
    meta.expiresAt = Date.now() - 1;
    await storage.put("meta", meta);
  });
}

describe("expiry", () => {
  it("a consultation schedules an alarm at its expiry", async () => {
    const { id, expiresAt } = await createConsultation({ invitee: {}, ttlSeconds: 300 });
    const alarm = await runInDurableObject(stubOf(id), (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.parse(expiresAt));
  });

  it("the alarm before expiry ends nothing", async () => {
    const { created, guest } = await admittedPair();
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    expect(await guest.received("ended", 100)).toBe(false);
    expect((await join(created.id, { token: created.hostToken })).status).toBe(200);
  });

  it("past expiresAt the alarm ends it: ended expired, 4000, storage and alarm gone", async () => {
    const { created, host, guest } = await admittedPair();
    await age(created.id);
    expect(await runDurableObjectAlarm(stubOf(created.id))).toBe(true);
    for (const socket of [host, guest]) {
      expect((await socket.next("ended")).reason).toBe("expired");
      expect((await socket.closeEvent()).code).toBe(4000);
    }
    const { keys, alarm } = await runInDurableObject(stubOf(created.id), async (_instance, state) => ({
      keys: [...(await state.storage.list()).keys()],
      alarm: await state.storage.getAlarm(),
    }));
    expect(keys).toEqual([]);
    expect(alarm).toBeNull();
    expect((await join(created.id, { token: created.hostToken })).status).toBe(404);
    expect((await join(created.id, { resume: guest.resume! })).status).toBe(404);
  });

  // Regression: a late alarm left an expired consultation joinable (200 with a ticket).
  // Alarms may run late; `expiresAt` is the contract's deadline, not the alarm.
  it("past expiresAt nothing can be joined or viewed even before the alarm has run", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    await age(id);
    for (const response of [
      await join(id, { token: hostToken }),
      await join(id, { code: invite.code! }),
      await api(`/api/v1/consultations/${id}`, { headers: bearer(hostToken) }),
    ]) {
      expect([404, 410]).toContain(response.status);
    }
    // The first late request ended it for everyone, as the alarm would have.
    expect((await host.next("ended")).reason).toBe("expired");
    expect((await host.closeEvent()).code).toBe(4000);
    const keys = await runInDurableObject(stubOf(id), async (_instance, state) => [...(await state.storage.list()).keys()]);
    expect(keys).toEqual([]);
  });

  it("a ticket never outlives its consultation", async () => {
    const { id, hostToken } = await createConsultation({ invitee: {}, ttlSeconds: 300 });
    await editStorage(id, async (storage) => {
      const meta = (await storage.get<Meta>("meta"))!;
      meta.expiresAt = Date.now() + 10_000;
      await storage.put("meta", meta);
    });
    const response = await join(id, { token: hostToken });
    const { expiresAt } = (await response.json()) as { expiresAt: string };
    expect(Date.parse(expiresAt)).toBeLessThanOrEqual(Date.now() + 10_000);
  });
});
