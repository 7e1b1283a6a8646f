/**
 * The verification code in real browsers: it survives a reload of either
 * side unchanged (each tab keeps its certificate for the consultation, and
 * both remember the code they read), and a side that lost its certificate
 * makes the other show the new code with a warning to read it again, in a
 * group next to that person.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import { launchBrowser, newPerson } from "./browser.ts";
import {
  callMethod,
  callProperty,
  createConsultation,
  devToken,
  events,
  openCall,
  passDeviceCheck,
  recordEvents,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");

const codeOf = (page: Page) => callProperty<string | null>(page, "verificationCode");
const verifications = async (page: Page) => (await events(page)).filter((e) => e.type === "verification").map((e) => e.detail as { code: string; changed: boolean });
const warningShown = (page: Page) =>
  page.evaluate(() => document.querySelector("samtale-call")?.shadowRoot?.querySelector(".code-changed") !== null);

/** The tab's stored DTLS certificates are gone (cleared site data, another browser profile). */
function forgetCertificates(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve, reject) => {
        const deleting = indexedDB.deleteDatabase("samtale");
        deleting.onsuccess = () => resolve();
        deleting.onerror = () => reject(deleting.error);
      }),
  );
}

describe("the verification code across reloads", () => {
  let browser: Browser;
  let host: Page;
  let guest: Page;
  let hostToken: string;
  let consultation: CreateConsultationResponse;
  let code: string;

  const mountHost = () => openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });

  /** Both sides connected and showing a code; returns the host's, after checking the guest shows the same. */
  async function sameCodeOnBothSides(): Promise<string> {
    await waitForState(host, "connected");
    await waitForState(guest, "connected");
    for (const page of [host, guest]) {
      // Polled on a timer (usable in beforeAll too): animation frames are throttled in a page not in front.
      await page.waitForFunction(() => /^\d{3} \d{3}$/.test((document.querySelector("samtale-call") as any)?.verificationCode ?? ""), undefined, {
        timeout: 60_000,
        polling: 100,
      });
    }
    const hostCode = (await codeOf(host))!;
    expect(await codeOf(guest)).toBe(hostCode);
    return hostCode;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    host = (await newPerson(browser, worker)).page;
    guest = (await newPerson(browser, worker)).page;
    for (const page of [host, guest]) await watchPeerConnections(page);
    hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    consultation = await createConsultation(worker, hostToken);
    await mountHost();
    await waitForState(host, "connected");
    await guest.goto(consultation.invite.url);
    await recordEvents(guest);
    await passDeviceCheck(guest);
    await callMethod(host, "admit", (await waitForKnock(host)).id);
    code = await sameCodeOnBothSides();
    await waitForRemoteVideo(guest);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("the guest page takes the invite out of the address bar once read", () => {
    expect(guest.url()).not.toContain("code=");
    expect(guest.url()).not.toContain("#");
  });

  it("a guest who reloads sees the same code, and so does the host, with no change warning", async () => {
    await recordEvents(host);
    await guest.reload();
    await recordEvents(guest);
    await expect.poll(() => verifications(guest), { timeout: 60_000 }).toEqual([{ code, changed: false }]);
    expect(await sameCodeOnBothSides()).toBe(code);
    await waitForRemoteVideo(host);
    expect((await verifications(host)).every((v) => v.code === code && !v.changed)).toBe(true);
    expect(await warningShown(host)).toBe(false);
  });

  it("a host who reloads sees the same code, and so does the guest", async () => {
    await recordEvents(guest);
    await mountHost();
    await expect.poll(() => verifications(host), { timeout: 60_000 }).toEqual([{ code, changed: false }]);
    expect(await sameCodeOnBothSides()).toBe(code);
    expect((await verifications(guest)).every((v) => v.code === code && !v.changed)).toBe(true);
    expect(await warningShown(guest)).toBe(false);
  });

  it("a guest who lost the stored certificate makes the host show the new code with a warning", async () => {
    await recordEvents(host);
    await forgetCertificates(guest);
    await guest.reload();
    await recordEvents(guest);
    await expect.poll(async () => (await verifications(host)).some((v) => v.changed), { timeout: 60_000 }).toBe(true);
    const changed = (await verifications(host)).find((v) => v.changed)!;
    expect(changed.code).not.toBe(code);
    await expect.poll(() => warningShown(host)).toBe(true);
    // The guest, who kept nothing, shows the same new code without a warning of its own.
    expect(await sameCodeOnBothSides()).toBe(changed.code);
    expect(await warningShown(guest)).toBe(false);
  });
});

describe("a changed code in a group", () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("warns next to the person who lost their certificate, and names them in the event", async () => {
    const host = (await newPerson(browser, worker)).page;
    const guest = (await newPerson(browser, worker)).page;
    for (const page of [host, guest]) await watchPeerConnections(page);
    const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    const consultation = await createConsultation(worker, hostToken, { invitee: { name: "Ola" }, mode: "group", maxParticipants: 2 });
    await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
    await waitForState(host, "connected");
    await guest.goto(consultation.invite.url);
    await passDeviceCheck(guest);
    const knock = await waitForKnock(host);
    await callMethod(host, "admit", knock.id);
    await waitForState(guest, "connected");

    type Entry = { id: string; verificationCode?: string; verificationChanged?: true };
    const guestEntry = async () => (await callProperty<Entry[]>(host, "participants")).find((p) => p.id === knock.id);
    await expect.poll(async () => (await guestEntry())?.verificationCode, { timeout: 60_000 }).toMatch(/^\d{3} \d{3}$/);
    const before = (await guestEntry())!.verificationCode;
    expect((await guestEntry())!.verificationChanged).toBeUndefined();
    const listWarning = () =>
      host.evaluate(
        () =>
          document.querySelector("samtale-call")?.shadowRoot?.querySelector('[part~="participants"]')?.shadowRoot?.querySelector(".code-changed")?.textContent?.trim() ??
          null,
      );
    expect(await listWarning()).toBeNull();

    await forgetCertificates(guest);
    await guest.reload();
    await expect.poll(async () => (await guestEntry())?.verificationChanged, { timeout: 60_000 }).toBe(true);
    const after = (await guestEntry())!.verificationCode;
    expect(after).not.toBe(before);
    expect((await events(host)).filter((e) => e.type === "verification").map((e) => e.detail)).toEqual([
      { code: after, changed: true, participant: knock.id },
    ]);
    await expect.poll(listWarning).toMatch(/changed/i);
    // The element's own pair code stays out of a group.
    expect(await codeOf(host)).toBeNull();
  });
});
