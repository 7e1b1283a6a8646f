/**
 * The host's control over who is in, and the call screen that says who is
 * there, in real Chromium: a group of four with named tiles and a muted one,
 * a removal with its confirmation (by keyboard), the removed person's screen,
 * the add-a-person dialog, and the same call on a 360 px phone. Every new
 * view is screenshotted and checked with axe.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Invite, Participant } from "../../worker/protocol.ts";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, newPerson, screenshot } from "./browser.ts";
import { callMethod, callProperty, createConsultation, devToken, openCall, waitForKnock, waitForRemoteVideo, waitForState, watchPeerConnections } from "./samtale.ts";

const worker = inject("workerOrigin");
const phone = { width: 360, height: 740 };
/** Four browsers in one call on a shared machine: page loads and clicks may take long. */
const SLOW_MACHINE_MS = 90_000;

/** Every remote tile has video frames (and, unless told, the shared helper's bytes-growing check too). */
async function waitForTiles(page: Page, count: number, options: { bytesGrowing: boolean } = { bytesGrowing: true }): Promise<void> {
  await page
    .waitForFunction(
      (count) => {
        const videos = [...document.querySelector("samtale-call")!.shadowRoot!.querySelectorAll<HTMLVideoElement>("video.remote")];
        return videos.length === count && videos.every((v) => v.videoWidth > 0);
      },
      count,
      { timeout: SLOW_MACHINE_MS, polling: 250 },
    )
    .catch(async (error) => {
      await screenshot(page, "failed-tiles");
      throw error;
    });
  if (options.bytesGrowing) await waitForRemoteVideo(page, count);
}

/** The caption text of each remote tile, in order. */
function tileCaptions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector("samtale-call")!.shadowRoot!;
    return [...root.querySelectorAll("figure.tile:not(.self-tile) figcaption")].map((c) => c.textContent!.replace(/\s+/g, " ").trim());
  });
}

/** A guest with an invite code, straight into the lobby; the host lets them in. */
async function admitGuest(browser: Browser, host: Page, code: string, consultation: string, viewport?: { width: number; height: number }): Promise<Page> {
  const { page, errors } = await newPerson(browser, worker, viewport);
  page.setDefaultTimeout(SLOW_MACHINE_MS);
  await watchPeerConnections(page);
  await openCall(page, worker, { consultation, code, lang: "en", "no-device-check": true });
  await waitForState(page, "lobby", SLOW_MACHINE_MS).catch(async (error) => {
    throw new Error(`${error} (state ${await callProperty(page, "state")}, errors ${errors.join("; ")})`);
  });
  const knock = await waitForKnock(host);
  expect(await callMethod(host, "admit", knock.id)).toEqual({ ok: true });
  await waitForState(page, "connected", SLOW_MACHINE_MS);
  return page;
}

describe("host control and the call screen", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a group of four by name with a muted tile, removes one after a confirmation, and adds a person from a dialog", async () => {
    const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    const consultation = await createConsultation(worker, hostToken, { invitee: { name: "Ola Nordmann" }, mode: "group" });
    const host = (await newPerson(browser, worker)).page;
    host.setDefaultTimeout(SLOW_MACHINE_MS);
    await watchPeerConnections(host);
    await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
    await waitForState(host, "connected", SLOW_MACHINE_MS);

    // Two more people, invited from inside the call through the element's method.
    const invites: Invite[] = [];
    for (const name of ["Siri Berg", "Per Hansen"]) {
      const invite = await host.evaluate((name) => (document.querySelector("samtale-call") as any).invite({ name }), name);
      expect(invite.url).toContain(`consultation=${consultation.id}`);
      invites.push(invite);
    }
    const ola = await admitGuest(browser, host, consultation.invite.code!, consultation.id);
    const siri = await admitGuest(browser, host, invites[0]!.code!, consultation.id);
    const per = await admitGuest(browser, host, invites[1]!.code!, consultation.id, phone);
    await waitForTiles(host, 3);

    // Ola mutes: every other tile of Ola says so, and no video reloads for it.
    await host.evaluate(() => {
      for (const video of document.querySelector("samtale-call")!.shadowRoot!.querySelectorAll("video.remote")) (video as any).samtaleMark = true;
    });
    await ola.getByRole("button", { name: "Mute" }).click();
    await expect.poll(() => tileCaptions(host), { timeout: 20_000 }).toContain("Ola Nordmann Muted");
    expect((await tileCaptions(host)).sort()).toEqual(["Ola Nordmann Muted", "Per Hansen", "Siri Berg"]);
    await expect.poll(() => tileCaptions(siri), { timeout: 20_000 }).toContain("Ola Nordmann Muted");
    expect(await host.evaluate(() => [...document.querySelector("samtale-call")!.shadowRoot!.querySelectorAll("video.remote")].every((v) => (v as any).samtaleMark))).toBe(true);
    expect(await ola.getByRole("button", { name: "Unmute" }).count()).toBe(1);
    await screenshot(host, "group-of-four");
    expect(await seriousViolations(host), "group of four").toEqual([]);

    // The same call on a 360 px phone: the others first, nothing wider than the screen.
    // The layout is what this checks; the media path is the host's check above.
    await waitForTiles(per, 3, { bytesGrowing: false });
    await screenshot(per, "phone-call-360");
    expect(await per.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    const controls = await per.evaluate(() => {
      const bar = document.querySelector("samtale-call")!.shadowRoot!.querySelector(".controls")!.getBoundingClientRect();
      return { top: bar.top, bottom: bar.bottom };
    });
    expect(controls.bottom).toBeLessThanOrEqual(phone.height);
    expect(await seriousViolations(per), "phone call").toEqual([]);

    // The host removes Ola: Remove asks first; the answer is reached by keyboard.
    const olaId = (await callProperty<Participant[]>(host, "participants")).find((p) => p.name === "Ola Nordmann")!.id;
    await host.getByRole("button", { name: "Remove Ola Nordmann" }).click();
    await host.getByRole("button", { name: "Yes, remove" }).waitFor();
    await screenshot(host, "host-remove-confirm");
    expect(await seriousViolations(host), "remove confirmation").toEqual([]);
    // Focus sits on Cancel; one step back is the confirming button.
    await host.keyboard.press("Shift+Tab");
    await host.keyboard.press("Enter");
    await waitForState(ola, "removed", SLOW_MACHINE_MS);
    expect(await ola.evaluate(() => sessionStorage.length)).toBe(0);
    await screenshot(ola, "removed");
    expect(await seriousViolations(ola), "removed").toEqual([]);
    await expect.poll(async () => (await callProperty<Participant[]>(host, "participants")).map((p) => p.id)).not.toContain(olaId);
    await expect.poll(() => tileCaptions(siri), { timeout: 20_000 }).not.toContain("Ola Nordmann Muted");
    // Removed for good: a second remove of the same person, and the host removing themself, are refused.
    expect(await callMethod(host, "remove", olaId)).toEqual({ ok: false, code: "not_found" });
    const hostId = (await callProperty<Participant>(host, "you")).id;
    expect(await callMethod(host, "remove", hostId)).toEqual({ ok: false, code: "invalid_request" });
    expect(await callMethod(siri, "remove", hostId)).toEqual({ ok: false, code: "invalid_state" });

    // Add a person: the dialog makes an invite and shows its link and code.
    await host.getByRole("button", { name: "Add a person" }).click();
    await host.getByLabel("Their name (optional)").fill("Liv Dahl");
    await host.getByRole("button", { name: "Create invitation" }).click();
    const link = host.getByLabel("Invitation link");
    await link.waitFor();
    expect(await link.inputValue()).toMatch(new RegExp(`/join#consultation=${consultation.id}&code=`));
    await screenshot(host, "add-a-person");
    expect(await seriousViolations(host), "add-a-person dialog").toEqual([]);
    await host.getByRole("button", { name: "Close" }).click();

    await callMethod(host, "end");
    await waitForState(siri, "ended", SLOW_MACHINE_MS);
    for (const page of [host, ola, siri, per]) await page.context().close();
  }, 480_000);
});
