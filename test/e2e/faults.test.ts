/**
 * What real networks and servers do to a consultation: the runtime killed
 * and started again, a guest's browser offline, the relay dead, the host's
 * tab crashed. Media is peer to peer, so where its path is untouched the
 * remote video must keep playing through a signaling outage. These tests run
 * their own `wrangler dev` and coturn, since they kill them.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, newPerson } from "./browser.ts";
import {
  callMethod,
  callProperty,
  createConsultation,
  devToken,
  events,
  inboundVideo,
  openCall,
  passDeviceCheck,
  recordEvents,
  states,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";
import { freePort, startCoturn, startWorker, TURN_SECRET, type Killable } from "./services.ts";

/** Room for a runtime start and a third person on a loaded 2-core machine; each takes well under a minute on a quiet one. */
const SLOW_TEST_MS = 180_000;

/** Short, so a host who stays away is seen out within the test. */
const HOST_GRACE_SECONDS = 12;

let browser: Browser;
let worker: string;
let workerPort: number;
let workerVars: Record<string, string>;
let runtime: Killable & { persistTo: string };
let turnPort: number;
let coturn: Killable;

beforeAll(async () => {
  turnPort = await freePort();
  workerPort = await freePort();
  worker = `http://127.0.0.1:${workerPort}`;
  workerVars = {
    DEV_AUTH: "1",
    DATA_JURISDICTION: "none",
    STUN_URLS: `stun:127.0.0.1:${turnPort}`,
    TURN_URLS: `turn:127.0.0.1:${turnPort}?transport=udp`,
    TURN_SECRET,
    HOST_GRACE_SECONDS: String(HOST_GRACE_SECONDS),
  };
  [coturn, runtime, browser] = await Promise.all([startCoturn(turnPort), startWorker(workerPort, workerVars), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([runtime?.stop(), coturn?.stop()]);
});

/** Kill the runtime outright and start it again on the same port and persisted state. */
async function restartRuntime(downMs: number, during?: () => Promise<void>): Promise<void> {
  await runtime.kill();
  const down = Date.now();
  await during?.();
  const left = downMs - (Date.now() - down);
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  runtime = await startWorker(workerPort, workerVars, runtime.persistTo);
}

/**
 * Test instrumentation: counts `loadstart` on every remote `<video>` (a
 * video that reloads fires it again) through a capture listener on each
 * shadow root, since the event does not leave the shadow tree.
 */
async function countVideoLoads(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const counts = { loadstart: 0 };
    (window as unknown as { samtaleVideoLoads: typeof counts }).samtaleVideoLoads = counts;
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
      const root = attach.call(this, init);
      root.addEventListener("loadstart", (event) => {
        if ((event.target as Element).matches?.('video[part~="remote-video"]')) counts.loadstart++;
      }, true);
      return root;
    };
  });
}

const videoLoads = (page: Page) => page.evaluate(() => (window as unknown as { samtaleVideoLoads: { loadstart: number } }).samtaleVideoLoads.loadstart);

/** The remote video's frames advance over a second: media flows. */
async function framesAdvance(page: Page): Promise<boolean> {
  const before = await inboundVideo(page, "framesDecoded");
  await page.waitForTimeout(1000);
  return (await inboundVideo(page, "framesDecoded")) > before;
}

/** What the connection indicator says, as a person reads it. */
const indicatorText = async (page: Page) => (await page.locator("samtale-connection-indicator span").allInnerTexts()).join(" ");

async function person(options: { relayOnly?: boolean } = {}) {
  const { page } = await newPerson(browser, worker);
  await watchPeerConnections(page, options);
  await countVideoLoads(page);
  return page;
}

/** A host on the worker's page and a guest through the invite link, in the call with media flowing. */
async function meet(options: { relayOnly?: boolean; body?: Parameters<typeof createConsultation>[2] } = {}) {
  const [host, guest] = await Promise.all([person(options), person(options)]);
  const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
  const consultation = await createConsultation(worker, hostToken, options.body);
  const mountHost = (page: Page) => openCall(page, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
  await mountHost(host);
  await waitForState(host, "connected");
  await guest.goto(consultation.invite.url);
  await recordEvents(guest);
  await passDeviceCheck(guest);
  await callMethod(host, "admit", (await waitForKnock(host)).id);
  await waitForState(guest, "connected");
  await Promise.all([waitForRemoteVideo(guest), waitForRemoteVideo(host)]);
  await Promise.all([recordEvents(host), recordEvents(guest)]);
  return { host, guest, hostToken, consultation, mountHost };
}

async function close(...pages: Page[]) {
  await Promise.all(pages.map((page) => page.context().close()));
}

describe("faults", () => {
  it("a steady call never reloads the remote video", async () => {
    const { host, guest } = await meet();
    await guest.waitForTimeout(10_000);
    expect(await videoLoads(guest)).toBe(1);
    expect(await videoLoads(host)).toBe(1);
    expect(await framesAdvance(guest)).toBe(true);
    await close(host, guest);
  }, SLOW_TEST_MS);

  it("the runtime killed mid-call: media flows on, both come back without lobby or device check; signals, admit and end work after", async () => {
    const { host, guest, hostToken, consultation } = await meet({ body: { invitee: { name: "Ola" }, mode: "group", maxParticipants: 3 } });
    // Each with its verification code: they must stand unchanged.
    const before = await callProperty(guest, "participants");
    await restartRuntime(8000, async () => {
      await Promise.all([waitForState(host, "reconnecting"), waitForState(guest, "reconnecting")]);
      expect(await host.getByText("Connection lost. Reconnecting…").count()).toBe(1);
      expect(await framesAdvance(guest)).toBe(true);
      expect(await framesAdvance(host)).toBe(true);
    });
    await Promise.all([waitForState(host, "connected", 60_000), waitForState(guest, "connected", 60_000)]);
    for (const page of [host, guest]) expect(await states(page)).toEqual(["reconnecting", "connected"]);
    expect(await guest.locator("samtale-device-check").count()).toBe(0);
    expect(await guest.locator('[part~="lobby"]').count()).toBe(0);
    // The same connections: the video never reloaded and the codes stand.
    expect(await framesAdvance(guest)).toBe(true);
    expect(await videoLoads(guest)).toBe(1);
    expect(await videoLoads(host)).toBe(1);
    expect(await callProperty(guest, "participants")).toEqual(before);

    // The restarted runtime still relays signals, lets the host admit, and ends.
    const invite = await fetch(`${worker}/api/v1/consultations/${consultation.id}/invites`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${hostToken}` },
      body: JSON.stringify({ name: "Siri" }),
    });
    expect(invite.status).toBe(201);
    const siri = await person();
    await siri.goto(((await invite.json()) as { invite: { url: string } }).invite.url);
    await recordEvents(siri);
    await passDeviceCheck(siri);
    expect((await callMethod(host, "admit", (await waitForKnock(host)).id)).ok).toBe(true);
    await waitForState(siri, "connected");
    await waitForRemoteVideo(siri, 2);
    expect((await callMethod(host, "end")).ok).toBe(true);
    await Promise.all([waitForState(guest, "ended"), waitForState(siri, "ended")]);
    expect((await events(guest)).filter((e) => e.type === "ended").map((e) => e.detail.reason)).toEqual(["host-ended"]);
    await close(host, guest, siri);
  }, SLOW_TEST_MS);

  it("the guest offline for 10 s: media flows on, the host never sees them gone, and they come back", async () => {
    const { host, guest } = await meet();
    const cdp = await guest.context().newCDPSession(guest);
    const network = (offline: boolean) =>
      cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.send("Network.enable");
    await network(true);
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      expect((await callProperty<{ id: string }[]>(host, "participants")).length).toBe(2);
      expect(await framesAdvance(host)).toBe(true);
    }
    await network(false);
    await waitForState(guest, "connected", 30_000);
    expect(await states(guest)).not.toContain("ended");
    expect((await events(host)).filter((e) => e.type === "participants").every((e) => e.detail.participants.length === 2)).toBe(true);
    expect(await framesAdvance(guest)).toBe(true);
    expect(await framesAdvance(host)).toBe(true);
    expect(await videoLoads(host)).toBe(1);
    await close(host, guest);
  }, SLOW_TEST_MS);

  it("the relay dies in a relay-only call: the indicator says media is interrupted, and an ICE restart brings it back", async () => {
    const { host, guest } = await meet({ relayOnly: true });
    await coturn.kill();
    try {
      await expect.poll(() => indicatorText(guest), { timeout: 45_000 }).toMatch(/interrupted/i);
      // Said to screen readers too, not only shown.
      await expect.poll(() => guest.locator('[role="status"][aria-live="polite"]').innerText()).toMatch(/interrupted/i);
      expect(await guest.getByText("Waiting for the others to join…").count()).toBe(0);
      expect(await callProperty(guest, "state")).toBe("connected");
    } finally {
      coturn = await startCoturn(turnPort);
    }
    await expect.poll(() => framesAdvance(guest), { timeout: 60_000, interval: 100 }).toBe(true);
    await expect.poll(() => framesAdvance(host), { timeout: 30_000, interval: 100 }).toBe(true);
    await expect.poll(() => indicatorText(guest), { timeout: 10_000 }).not.toMatch(/interrupted/i);
    await close(host, guest);
  }, SLOW_TEST_MS);

  it("the host's tab crashes: the guest waits, a host back within the grace resumes, past it the guest's call ends as host-away", async () => {
    const { host, guest, mountHost } = await meet();
    await host.close(); // no leave(): the socket just goes
    // Gone (no tile) or away (the tile says so): never a frozen picture without a word.
    await expect
      .poll(async () => (await guest.locator('video[part~="remote-video"]').count()) === 0 || (await guest.locator(".tile-notice").count()) > 0, { timeout: 45_000 })
      .toBe(true);
    expect(await callProperty(guest, "state")).toBe("connected");

    const back = await person();
    await mountHost(back);
    await waitForState(back, "connected");
    await Promise.all([waitForRemoteVideo(back), waitForRemoteVideo(guest)]);

    await back.close();
    await waitForState(guest, "ended", (HOST_GRACE_SECONDS + 30) * 1000);
    expect((await events(guest)).filter((e) => e.type === "ended").map((e) => e.detail.reason)).toEqual(["host-away"]);
    await close(guest);
  }, SLOW_TEST_MS);
});
