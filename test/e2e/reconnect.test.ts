/**
 * Interruptions a real call meets: the signaling socket drops (a network
 * change), the host's token expires before the way back in, and the host
 * reloads the page. None sends anyone back to the lobby, and the media comes
 * back.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import { launchBrowser, newPerson } from "./browser.ts";
import {
  callMethod,
  createConsultation,
  devToken,
  events,
  openCall,
  passDeviceCheck,
  recordEvents,
  states,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");

/**
 * Test instrumentation: remembers the page's WebSockets so a test can drop
 * them as a network change would (the server sees an abnormal close).
 */
async function watchSockets(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Original = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { samtaleSockets: WebSocket[] }).samtaleSockets = sockets;
    window.WebSocket = class extends Original {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    } as typeof WebSocket;
  });
}

async function dropSockets(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const socket of (window as unknown as { samtaleSockets: WebSocket[] }).samtaleSockets) socket.close(4999, "network change");
  });
}

describe("interruptions", () => {
  let browser: Browser;
  let host: Page;
  let guest: Page;
  const hostSub = `host-${crypto.randomUUID()}`;
  let hostToken: string;
  let consultation: CreateConsultationResponse;

  const mountHost = () => openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });

  beforeAll(async () => {
    browser = await launchBrowser();
    host = (await newPerson(browser, worker)).page;
    guest = (await newPerson(browser, worker)).page;
    for (const page of [host, guest]) {
      await watchPeerConnections(page);
      await watchSockets(page);
    }
    hostToken = await devToken(worker, hostSub, "Kari Fysio");
    consultation = await createConsultation(worker, hostToken);
    await mountHost();
    await waitForState(host, "connected");
    await guest.goto(consultation.invite.url);
    await recordEvents(guest);
    await passDeviceCheck(guest);
    await callMethod(host, "admit", (await waitForKnock(host)).id);
    await waitForState(guest, "connected");
    await waitForRemoteVideo(guest);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("a dropped socket reconnects with a fresh ticket, through `reconnecting`, never the lobby", async () => {
    await recordEvents(guest);
    await dropSockets(guest);
    await expect.poll(() => states(guest), { timeout: 30_000 }).toEqual(["reconnecting", "connected"]);
    await waitForRemoteVideo(guest);
    await waitForRemoteVideo(host);
  });

  it("a host whose token expired meanwhile stays reconnecting, is told so, and is back in with the fresh token the page gives", async () => {
    const setToken = (token: string) =>
      host.evaluate((token) => void ((document.querySelector("samtale-call") as HTMLElement & { token: string }).token = token), token);
    await recordEvents(host);
    await setToken("expired.partner.token");
    await dropSockets(host);
    const refusals = async () => (await events(host)).filter((e) => e.type === "error").map((e) => e.detail.code as string);
    await expect.poll(refusals, { timeout: 30_000 }).toContain("unauthorized");
    expect(await states(host)).toEqual(["reconnecting"]);
    expect(await states(guest)).not.toContain("ended");

    await setToken(await devToken(worker, hostSub, "Kari Fysio"));
    await waitForState(host, "connected");
    expect(await states(host)).toEqual(["reconnecting", "connected"]);
    await waitForRemoteVideo(host);
    await waitForRemoteVideo(guest);
  });

  it("a host who reloads is back in the call, and the media with them", async () => {
    await recordEvents(guest);
    await mountHost();
    await waitForState(host, "connected");
    await waitForRemoteVideo(host);
    await waitForRemoteVideo(guest);
    expect(await states(guest)).not.toContain("ended");
    await expect.poll(async () => (await callMethod(host, "end")).ok).toBe(true);
    await waitForState(guest, "ended");
  });
});
