/**
 * A pair consultation between Chromium and Firefox, each way round: the
 * guest is admitted, video moves both ways, both read the same
 * verification code, chat goes both ways, and the host ends it. Both sides
 * run the same helpers; only the browser differs.
 */
import type { Browser as ChromiumBrowser } from "playwright-core";
import type { Browser as FirefoxBrowser } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import type { BrowserPage } from "./browser-page.ts";
import { launchBrowser, newPerson, screenshot } from "./browser.ts";
import { launchFirefox, newFirefoxPerson } from "./firefox.ts";
import {
  callMethod,
  callProperty,
  chatLines,
  createConsultation,
  devToken,
  events,
  openCall,
  recordEvents,
  sendChat,
  waitForKnock,
  waitForRemoteFrames,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");
/** Each look at the other page is a round trip to its browser: give a line time to arrive on a busy machine. */
const arrives = { timeout: 15_000, interval: 250 };

type BrowserName = "chromium" | "firefox";
interface Person {
  page: BrowserPage;
  errors: string[];
}

let chromium: ChromiumBrowser;
let firefox: FirefoxBrowser;

beforeAll(async () => {
  [chromium, firefox] = await Promise.all([launchBrowser(), launchFirefox()]);
});

afterAll(async () => {
  await Promise.all([chromium?.close(), firefox?.close()]);
});

async function person(browser: BrowserName): Promise<Person> {
  const { page, errors } = browser === "chromium" ? await newPerson(chromium, worker) : await newFirefoxPerson(firefox);
  await watchPeerConnections(page);
  return { page, errors };
}

describe.each([
  { hostBrowser: "chromium", guestBrowser: "firefox" },
  { hostBrowser: "firefox", guestBrowser: "chromium" },
] as const)("a $hostBrowser host and a $guestBrowser guest", ({ hostBrowser, guestBrowser }) => {
  let host: Person;
  let guest: Person;
  let consultation: CreateConsultationResponse;

  beforeAll(async () => {
    [host, guest] = await Promise.all([person(hostBrowser), person(guestBrowser)]);
    const hostToken = await devToken(worker, `host-${hostBrowser}`, "Kari Fysio");
    consultation = await createConsultation(worker, hostToken);
    await openCall(host.page, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
  });

  it("admits the guest from the lobby", async () => {
    await waitForState(host.page, "connected");
    await guest.page.goto(consultation.invite.url);
    await recordEvents(guest.page);
    await waitForState(guest.page, "checking");
    expect(await callMethod(guest.page, "join")).toEqual({ ok: true });
    await waitForState(guest.page, "lobby");
    const knock = await waitForKnock(host.page);
    expect(knock).toMatchObject({ role: "guest", name: "Ola Nordmann" });
    expect(await callMethod(host.page, "admit", knock.id)).toEqual({ ok: true });
    await waitForState(guest.page, "connected");
  });

  it("carries moving video both ways", async () => {
    await Promise.all([waitForRemoteVideo(host.page), waitForRemoteVideo(guest.page)]);
    await Promise.all([waitForRemoteFrames(host.page), waitForRemoteFrames(guest.page)]);
  });

  it("gives both the same verification code", async () => {
    const hasCode = () => (document.querySelector("samtale-call") as any).verificationCode !== null;
    await Promise.all([host.page.waitForFunction(hasCode), guest.page.waitForFunction(hasCode)]);
    const hostCode = await callProperty<string>(host.page, "verificationCode");
    expect(hostCode).toMatch(/^\d{3} \d{3}$/);
    expect(await callProperty<string>(guest.page, "verificationCode")).toBe(hostCode);
    await screenshot(host.page, `cross-browser-${hostBrowser}-host`);
    await screenshot(guest.page, `cross-browser-${guestBrowser}-guest`);
  });

  it("carries chat both ways", async () => {
    await sendChat(host.page, `Hei fra ${hostBrowser}`);
    await expect.poll(() => chatLines(guest.page), arrives).toContain(`Kari Fysio: Hei fra ${hostBrowser}`);
    await sendChat(guest.page, `Hei fra ${guestBrowser}`);
    await expect.poll(() => chatLines(host.page), arrives).toContain(`Ola Nordmann: Hei fra ${guestBrowser}`);
  });

  it("ends for both when the host ends it", async () => {
    expect(await callMethod(host.page, "end")).toEqual({ ok: true });
    await Promise.all([waitForState(host.page, "ended"), waitForState(guest.page, "ended")]);
    expect((await events(guest.page)).find((e) => e.type === "ended")?.detail).toEqual({ reason: "host-ended" });
  });

  it("raised no page errors on either side", () => {
    expect([...host.errors, ...guest.errors]).toEqual([]);
  });
});
