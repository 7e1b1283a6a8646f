/**
 * WebSocket tickets: single use, valid 60 s, bound to one consultation and
 * one participant. Every bad ticket is 401 before any upgrade.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { Member } from "../../worker/storage-schema.ts";
import { connect, createConsultation, editStorage, errorCode, stubOf, ticketFor, upgrade } from "./helpers.ts";

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(response.webSocket).toBeNull();
  expect(await errorCode(response)).toBe("unauthorized");
}

describe("tickets", () => {
  it("a fresh ticket upgrades (the baseline)", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const response = await upgrade(id, ticket);
    expect(response.status).toBe(101);
    response.webSocket!.accept();
    response.webSocket!.close(1000);
  });

  it("a missing ticket is 401", async () => {
    const { id } = await createConsultation();
    await expectUnauthorized(await upgrade(id, null));
    await expectUnauthorized(await upgrade(id, ""));
  });

  it("a reused ticket is 401", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const first = await upgrade(id, ticket);
    expect(first.status).toBe(101);
    first.webSocket!.accept();
    await expectUnauthorized(await upgrade(id, ticket));
  });

  it("a ticket used twice in parallel opens one socket", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const responses = await Promise.all([upgrade(id, ticket), upgrade(id, ticket)]);
    expect(responses.map((r) => r.status).sort()).toEqual([101, 401]);
    for (const r of responses) r.webSocket?.accept();
  });

  it("another consultation's ticket is 401", async () => {
    const a = await createConsultation();
    const b = await createConsultation();
    const { ticket } = await ticketFor(a.id, { token: a.hostToken });
    await expectUnauthorized(await upgrade(b.id, ticket));
    // …and it was not spent by the attempt.
    expect((await upgrade(a.id, ticket)).status).toBe(101);
  });

  it("a forged ticket is 401: right member id, wrong secret; and garbage", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const [memberId, secret] = ticket.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("A") ? "B" : "A");
    await expectUnauthorized(await upgrade(id, `${memberId}.${flipped}`));
    await expectUnauthorized(await upgrade(id, `pAAAAAAAAAAAA.${secret}`));
    await expectUnauthorized(await upgrade(id, "garbage"));
    await expectUnauthorized(await upgrade(id, `${memberId}.${secret}.extra`));
  });

  it("a guest's ticket is not a ticket for the host (bound to one participant)", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await ticketFor(id, { token: hostToken });
    const guest = await ticketFor(id, { code: invite.code! });
    const [hostId] = host.ticket.split(".");
    const [, guestSecret] = guest.ticket.split(".");
    await expectUnauthorized(await upgrade(id, `${hostId}.${guestSecret}`));
  });

  it("an expired ticket is 401 (aged in storage: the real wait is 60 s)", async () => {
    const { id, hostToken } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const memberId = ticket.split(".")[0]!;
    await editStorage(id, async (storage) => {
      const member = (await storage.get<Member>(`member:${memberId}`))!;
      expect(member.tickets).toHaveLength(1);
      member.tickets = member.tickets.map((t) => ({ ...t, expiresAt: Date.now() - 1 }));
      await storage.put(`member:${memberId}`, member);
    });
    await expectUnauthorized(await upgrade(id, ticket));
  });

  it("a ticket taken before the guest was denied is refused after", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    const spare = await ticketFor(id, { resume: guest.resume! });
    host.send({ type: "deny", id: (await host.next("knock")).participant.id });
    await guest.closeEvent();
    const response = await upgrade(id, spare.ticket);
    expect([401, 403]).toContain(response.status);
    expect(response.webSocket).toBeNull();
  });

  it("storage keeps only digests: no ticket, code or resume in clear", async () => {
    const { id, invite } = await createConsultation();
    const { ticket, resume } = await ticketFor(id, { code: invite.code! });
    const stored = await runInDurableObject(stubOf(id), async (_instance, state) =>
      JSON.stringify([...(await state.storage.list()).entries()]),
    );
    for (const secret of [ticket.split(".")[1]!, resume!.split(".")[1]!, invite.code!]) expect(stored).not.toContain(secret);
  });
});
