/**
 * The end by the host (DELETE or the `end` message): every socket gets
 * `ended {reason: "host-ended"}` then close 4000, all storage is deleted,
 * and the consultation can never be joined, resumed or viewed again.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admittedGroup, admittedPair, api, bearer, createConsultation, errorCode, join, lobbyGuest, partnerToken, practitionerToken, stubOf, ticketFor, upgrade, type TestSocket } from "./helpers.ts";

const del = (id: string, token: string) => api(`/api/v1/consultations/${id}`, { method: "DELETE", headers: bearer(token) });

async function expectEndedThenClosed(socket: TestSocket, reason: string) {
  expect((await socket.next("ended")).reason).toBe(reason);
  expect((await socket.closeEvent()).code).toBe(4000);
}

async function expectStorageEmpty(id: string) {
  const { keys, alarm } = await runInDurableObject(stubOf(id), async (_instance, state) => ({
    keys: [...(await state.storage.list()).keys()],
    alarm: await state.storage.getAlarm(),
  }));
  expect(keys).toEqual([]);
  expect(alarm).toBeNull();
}

describe("end", () => {
  it("DELETE by someone other than the host is 403 and ends nothing", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const { created, host } = await admittedGroup(0);
    await api(`/api/v1/consultations/${created.id}/invites`, { method: "POST", headers: bearer(created.hostToken), body: JSON.stringify({ sub }) });
    for (const token of [await practitionerToken(), await partnerToken({ sub, role: "client" })]) {
      const response = await del(created.id, token);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe("forbidden");
    }
    expect(await host.received("ended", 100)).toBe(false);
    expect((await join(created.id, { token: created.hostToken })).status).toBe(200);
  });

  it("DELETE by the host is 204: every socket, lobby included, gets ended host-ended then 4000", async () => {
    const { created, host, guests } = await admittedGroup(2);
    const waiting = await lobbyGuest(created);
    const response = await del(created.id, created.hostToken);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe("");
    for (const socket of [host, ...guests, waiting]) await expectEndedThenClosed(socket, "host-ended");
    await expectStorageEmpty(created.id);
  });

  it("the host's `end` message ends it the same way", async () => {
    const { created, host, guest } = await admittedPair();
    host.send({ type: "end" });
    await expectEndedThenClosed(guest, "host-ended");
    await expectEndedThenClosed(host, "host-ended");
    expect(guest.messages.some((m) => m.type === "peer-left")).toBe(false);
    await expectStorageEmpty(created.id);
  });

  it("after the end: join by token, code and resume, a ticket from before, view and DELETE are 404/410", async () => {
    const { created, host, guest } = await admittedPair();
    const hostTicket = await ticketFor(created.id, { token: created.hostToken });
    const guestTicket = await ticketFor(created.id, { resume: guest.resume! });
    expect((await del(created.id, created.hostToken)).status).toBe(204);
    await host.closeEvent();
    for (const response of [
      await join(created.id, { token: created.hostToken }),
      await join(created.id, { code: created.invite.code! }),
      await join(created.id, { resume: guest.resume! }),
      await upgrade(created.id, hostTicket.ticket),
      await upgrade(created.id, guestTicket.ticket),
      await api(`/api/v1/consultations/${created.id}`, { headers: bearer(created.hostToken) }),
      await del(created.id, created.hostToken),
    ]) {
      expect([404, 410]).toContain(response.status);
      expect(["not_found", "gone"]).toContain(await errorCode(response));
    }
    await expectStorageEmpty(created.id);
  });

  it("a consultation ended before anyone connected leaves nothing behind", async () => {
    const { id, hostToken, invite } = await createConsultation();
    expect((await del(id, hostToken)).status).toBe(204);
    await expectStorageEmpty(id);
    expect((await join(id, { code: invite.code! })).status).toBe(404);
  });
});
