/**
 * What the host and the deployment decide: chat off, a denied guest, a
 * group of three, relay-only connections through coturn.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPerson, screenshot } from "./browser.ts";
import {
  callMethod,
  callProperty,
  createConsultation,
  devToken,
  events,
  openCall,
  passDeviceCheck,
  recordEvents,
  selectedCandidateTypes,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The host on the worker's own origin, the guest through the invite link. */
async function meet(body: Parameters<typeof createConsultation>[2], options: { relayOnly?: boolean; admit?: boolean } = {}) {
  const host = (await newPerson(browser, worker)).page;
  const guest = (await newPerson(browser, worker)).page;
  await watchPeerConnections(host, options);
  await watchPeerConnections(guest, options);
  const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
  const consultation = await createConsultation(worker, hostToken, body);
  await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
  await waitForState(host, "connected");
  await guest.goto(consultation.invite.url);
  await recordEvents(guest);
  await passDeviceCheck(guest);
  const knock = await waitForKnock(host);
  if (options.admit !== false) {
    await callMethod(host, "admit", knock.id);
    await waitForState(guest, "connected");
  }
  return { host, guest, consultation, knock, hostToken };
}

describe("chat off", () => {
  it("offers no chat when the consultation says so", async () => {
    const { host, guest } = await meet({ invitee: { name: "Ola" }, chat: false });
    await waitForRemoteVideo(guest);
    for (const page of [host, guest]) {
      expect(await page.locator('[part~="chat"]').count()).toBe(0);
      expect(await page.locator('[part~="controls"]').count()).toBe(1);
    }
    await host.context().close();
    await guest.context().close();
  });
});

describe("a denied guest", () => {
  it("sees that they were not admitted, and cannot come back", async () => {
    const { host, guest, knock } = await meet({ invitee: { name: "Ukjent" } }, { admit: false });
    await waitForState(guest, "lobby");
    expect(await callMethod(host, "deny", knock.id)).toEqual({ ok: true });
    await waitForState(guest, "denied");
    expect((await events(guest)).some((e) => e.type === "state" && e.detail.state === "denied")).toBe(true);
    await screenshot(guest, "denied-desktop");
    await guest.setViewportSize({ width: 360, height: 740 });
    await screenshot(guest, "denied-360");
    await expect.poll(() => callProperty(host, "knocking")).toEqual([]);
    // Straight back to the refusal: no device check, no second knock.
    await guest.reload();
    await waitForState(guest, "denied");
    await host.context().close();
    await guest.context().close();
  });
});

describe("relay only", () => {
  it("connects through coturn with the worker's TURN credentials, and media flows", async () => {
    const { host, guest } = await meet({ invitee: { name: "Ola" } }, { relayOnly: true });
    await waitForRemoteVideo(guest);
    await waitForRemoteVideo(host);
    expect(await selectedCandidateTypes(guest)).toContain("relay");
    expect(await selectedCandidateTypes(host)).toContain("relay");
    await host.context().close();
    await guest.context().close();
  });
});

describe("a group of three", () => {
  it("connects everyone with everyone, each remote with its own verification code", async () => {
    const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    const consultation = await createConsultation(worker, hostToken, { invitee: { name: "Ola" }, mode: "group", maxParticipants: 3 });
    const second = await fetch(`${worker}/api/v1/consultations/${consultation.id}/invites`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${hostToken}` },
      body: JSON.stringify({ name: "Siri" }),
    });
    expect(second.status).toBe(201);
    const { invite } = (await second.json()) as { invite: { url: string } };

    const pages = await Promise.all([0, 1, 2].map(async () => (await newPerson(browser, worker)).page));
    for (const page of pages) await watchPeerConnections(page);
    const [host, ola, siri] = pages as [Page, Page, Page];
    await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
    await waitForState(host, "connected");
    for (const [guest, url] of [
      [ola, consultation.invite.url],
      [siri, invite.url],
    ] as const) {
      await guest.goto(url);
      await passDeviceCheck(guest);
      const knock = await waitForKnock(host);
      await callMethod(host, "admit", knock.id);
      await waitForState(guest, "connected");
    }
    for (const page of pages) {
      await waitForRemoteVideo(page, 2);
      expect(await callProperty(page, "verificationCode")).toBeNull();
      await expect
        .poll(async () => (await callProperty<{ verificationCode?: string }[]>(page, "participants")).filter((p) => /^\d{3} \d{3}$/.test(p.verificationCode ?? "")).length, { timeout: 20_000 })
        .toBe(2);
    }
    await screenshot(host, "group-desktop");
    for (const page of pages) await page.context().close();
  });
});
