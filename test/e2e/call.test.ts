/**
 * One pair consultation from start to end, as people hold it: the host on a
 * partner's page of another origin (the element embedded with one script
 * tag), the guest on a phone (360 px, touch) through the invite link.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, newPerson, PHONE, screenshot } from "./browser.ts";
import {
  callMethod,
  callProperty,
  createConsultation,
  devToken,
  events,
  inboundVideo,
  mountCall,
  outgoingVideo,
  passDeviceCheck,
  recordEvents,
  waitForKnock,
  waitForRemoteVideo,
  waitForState,
  watchPeerConnections,
} from "./samtale.ts";

const worker = inject("workerOrigin");
const partner = inject("partnerOrigin");

describe("a pair consultation", () => {
  let browser: Browser;
  let host: Page;
  let guest: Page;
  let consultation: CreateConsultationResponse;
  const errors: string[][] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    const hostPerson = await newPerson(browser, partner);
    const guestPerson = await newPerson(browser, worker, PHONE);
    host = hostPerson.page;
    guest = guestPerson.page;
    errors.push(hostPerson.errors, guestPerson.errors);
    await watchPeerConnections(host);
    await watchPeerConnections(guest);
    const hostToken = await devToken(worker, "kari", "Kari Fysio");
    consultation = await createConsultation(worker, hostToken);

    await host.goto(`${partner}/partner`);
    await mountCall(host, { consultation: consultation.id, token: hostToken, "api-base": `${worker}/`, lang: "en", "no-device-check": true });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("lets the host in at once, alone and connected", async () => {
    await waitForState(host, "connected");
    const you = await callProperty<{ role: string; name: string }>(host, "you");
    expect(you).toMatchObject({ role: "host", name: "Kari Fysio" });
  });

  it("keeps the guest in the lobby until the host admits them", async () => {
    await guest.goto(consultation.invite.url);
    await recordEvents(guest);
    await passDeviceCheck(guest);
    await waitForState(guest, "lobby");
    await expect.poll(() => guest.locator('[part~="lobby"]').getByText("Waiting for Kari Fysio to let you in").count()).toBe(1);
    await screenshot(guest, "lobby-360");
    const knock = await waitForKnock(host);
    expect(knock).toMatchObject({ role: "guest", verified: "code", name: "Ola Nordmann" });
    expect((await events(host)).some((e) => e.type === "knock" && e.detail.participant.id === knock.id)).toBe(true);
    await screenshot(host, "knock-desktop");

    expect(await callMethod(host, "admit", knock.id)).toEqual({ ok: true });
    await waitForState(guest, "connected");
    expect(await callProperty(host, "knocking")).toEqual([]);
  });

  it("shows each their peer's moving video and the participant list", async () => {
    await waitForRemoteVideo(host);
    await waitForRemoteVideo(guest);
    for (const page of [host, guest]) {
      const participants = await callProperty<{ role: string }[]>(page, "participants");
      expect(participants.map((p) => p.role).sort()).toEqual(["guest", "host"]);
      for (const name of ["Kari Fysio", "Ola Nordmann"]) {
        await expect.poll(() => page.locator('[part~="participants"]').getByText(name).count()).toBeGreaterThan(0);
      }
      expect(await page.locator('video[part~="local-video"]').count()).toBe(1);
    }
  });

  it("gives both the same verification code", async () => {
    const code = /^\d{3} \d{3}$/;
    await host.waitForFunction(() => (document.querySelector("samtale-call") as any).verificationCode !== null);
    await guest.waitForFunction(() => (document.querySelector("samtale-call") as any).verificationCode !== null);
    const hostCode = await callProperty<string>(host, "verificationCode");
    const guestCode = await callProperty<string>(guest, "verificationCode");
    expect(hostCode).toMatch(code);
    expect(guestCode).toBe(hostCode);
    expect((await events(guest)).some((e) => e.type === "verification" && e.detail.code === guestCode)).toBe(true);
    await screenshot(host, "call-desktop");
    await screenshot(guest, "call-360");
  });

  it("gives the guest's phone the host's video first and large, the controls within reach, nothing cut off", async () => {
    const { width, height } = PHONE.viewport;
    const screen = await guest.evaluate(() => {
      const root = document.querySelector("samtale-call")!.shadowRoot!;
      const box = (element: Element) => {
        const { left, right, top, bottom, width, height } = element.getBoundingClientRect();
        return { left, right, top, bottom, width, height };
      };
      const tiles = [...root.querySelectorAll(".stage figure.tile")];
      return {
        innerWidth,
        innerHeight,
        scrollWidth: document.documentElement.scrollWidth,
        firstTileIsRemote: tiles[0]?.querySelector('video[part~="remote-video"]') !== null,
        remote: box(root.querySelector('video[part~="remote-video"]')!.closest("figure")!),
        own: box(root.querySelector(".self-tile")!),
        controls: [...root.querySelectorAll('[part~="controls"] button')].map(box),
        // Nothing lies over the host's full-screen button (the guest's own floating picture least of all).
        fullscreenOnTop: (() => {
          const button = root.querySelector(".tile:not(.self-tile) .fullscreen")!;
          const { left, top, width, height } = button.getBoundingClientRect();
          return root.elementFromPoint(left + width / 2, top + height / 2)?.closest("button") === button;
        })(),
      };
    });
    expect({ innerWidth: screen.innerWidth, innerHeight: screen.innerHeight }).toEqual({ innerWidth: width, innerHeight: height });
    // Nothing wider than the screen.
    expect(screen.scrollWidth).toBeLessThanOrEqual(width);
    // The host's picture comes first, spans the screen, and starts above the guest's own small picture.
    expect(screen.firstTileIsRemote).toBe(true);
    expect(screen.remote.width).toBeGreaterThanOrEqual(0.9 * width);
    expect(screen.remote.top).toBeLessThan(screen.own.top);
    expect(screen.own.width * screen.own.height).toBeLessThan((screen.remote.width * screen.remote.height) / 4);
    expect(screen.fullscreenOnTop).toBe(true);
    // Every control on the screen, in its lower half, where a thumb reaches.
    expect(screen.controls.length).toBeGreaterThan(0);
    for (const button of screen.controls) {
      expect(button.left).toBeGreaterThanOrEqual(0);
      expect(button.right).toBeLessThanOrEqual(width);
      expect(button.top).toBeGreaterThanOrEqual(height / 2);
      expect(button.bottom).toBeLessThanOrEqual(height);
    }
    await screenshot(guest, "pair-phone-360");
    expect(await seriousViolations(guest), "pair call on a phone").toEqual([]);
  });

  it("carries chat both ways", async () => {
    await say(host, "Hei Ola, kan du høre meg?");
    await expect.poll(() => guest.locator('[part~="chat"]').getByText("Hei Ola, kan du høre meg?").count()).toBe(1);
    await say(guest, "Ja, veldig bra!");
    await expect.poll(() => host.locator('[part~="chat"]').getByText("Ja, veldig bra!").count()).toBe(1);
  });

  it("shares the host's screen with the guest, and stops", async () => {
    const share = host.locator('[part~="controls"]').getByRole("button", { name: /share screen/i });
    expect(await outgoingVideo(host)).toEqual(["camera"]);
    await share.click();
    await expect.poll(() => share.getAttribute("aria-pressed")).toBe("true");
    // The screen replaces the camera on the connection, and its frames arrive.
    await expect.poll(() => outgoingVideo(host)).toEqual(["monitor"]);
    const before = await inboundVideo(guest, "framesDecoded");
    await expect.poll(() => inboundVideo(guest, "framesDecoded"), { timeout: 10_000 }).toBeGreaterThan(before + 10);
    await waitForRemoteVideo(guest);
    await screenshot(guest, "screen-share-360");
    await share.click();
    await expect.poll(() => share.getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => outgoingVideo(host)).toEqual(["camera"]);
    await waitForRemoteVideo(guest);
  });

  it("resumes a guest who reloads, without the device check or the lobby", async () => {
    await guest.reload();
    await recordEvents(guest);
    await waitForState(guest, "connected");
    expect((await events(guest)).map((e) => e.detail?.state).filter(Boolean)).not.toContain("lobby");
    await waitForRemoteVideo(guest);
    await waitForRemoteVideo(host);
  });

  it("ends for everyone when the host ends it, and the invite link is dead", async () => {
    expect(await callMethod(guest, "end")).toMatchObject({ ok: false, code: "invalid_state" });
    expect(await callMethod(host, "end")).toEqual({ ok: true });
    await waitForState(guest, "ended");
    expect((await events(guest)).find((e) => e.type === "ended")?.detail).toEqual({ reason: "host-ended" });
    await waitForState(host, "ended");
    await screenshot(guest, "ended-360");

    const again = await fetch(`${worker}/api/v1/consultations/${consultation.id}/join`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code: consultation.invite.code }),
    });
    expect([404, 410]).toContain(again.status);
    await guest.goto("about:blank");
    await guest.goto(consultation.invite.url);
    await passDeviceCheck(guest);
    await guest.waitForFunction(() => ["ended", "error"].includes((document.querySelector("samtale-call") as any)?.state));
    expect(await callProperty(guest, "participants")).toEqual([]);
  });

  it("raised no page errors on either side", () => {
    const unexpected = errors.flat().filter((e) => !/Failed to load resource|ERR_NAME_NOT_RESOLVED|404/.test(e));
    expect(unexpected).toEqual([]);
  });
});

/** Types a chat message the way a person does: into the chat, then Enter. */
async function say(page: Page, text: string): Promise<void> {
  const input = page.locator('[part~="chat"]').locator("textarea, input").first();
  await input.fill(text);
  await input.press("Enter");
}
