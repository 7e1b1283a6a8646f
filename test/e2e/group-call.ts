/**
 * A group consultation for the host-control tests: the host in the call on
 * a page of the worker's origin, guests let in from the lobby one by one,
 * and what the tests read off the tiles. Four browsers on one shared
 * machine are slow, so every wait here is generous.
 */
import type { Browser, Page } from "playwright-core";
import { expect, inject } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import { newPerson, PHONE, screenshot } from "./browser.ts";
import { callMethod, callProperty, createConsultation, devToken, openCall, waitForKnock, waitForRemoteVideo, waitForState, watchPeerConnections } from "./samtale.ts";

/** Four browsers in one call on a shared machine: page loads and clicks may take long. */
export const SLOW_MACHINE_MS = 90_000;

/** Kari Fysio hosts a new group consultation (Ola Nordmann is its first invitee) and is in the call, alone. */
export async function hostGroupCall(browser: Browser): Promise<{ host: Page; consultation: CreateConsultationResponse }> {
  const worker = inject("workerOrigin");
  const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
  const consultation = await createConsultation(worker, hostToken, { invitee: { name: "Ola Nordmann" }, mode: "group" });
  const host = (await newPerson(browser, worker)).page;
  host.setDefaultTimeout(SLOW_MACHINE_MS);
  await watchPeerConnections(host);
  await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en", "no-device-check": true });
  await waitForState(host, "connected", SLOW_MACHINE_MS);
  return { host, consultation };
}

/** A guest with an invite code, straight into the lobby; the host lets them in. */
export async function admitGuest(browser: Browser, host: Page, code: string, consultation: string, screen?: typeof PHONE): Promise<Page> {
  const worker = inject("workerOrigin");
  const { page, errors } = await newPerson(browser, worker, screen);
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

/** Every remote tile has video frames (and, unless told, the shared helper's bytes-growing check too). */
export async function waitForTiles(page: Page, count: number, options: { bytesGrowing: boolean } = { bytesGrowing: true }): Promise<void> {
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
export function tileCaptions(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const root = document.querySelector("samtale-call")!.shadowRoot!;
    return [...root.querySelectorAll("figure.tile:not(.self-tile) figcaption")].map((c) => c.textContent!.replace(/\s+/g, " ").trim());
  });
}

/** Mutes `person` with their own Mute button; the host sees it on their tile. */
export async function mute(person: Page, host: Page, name: string): Promise<void> {
  await person.getByRole("button", { name: "Mute" }).click();
  await expect.poll(() => tileCaptions(host), { timeout: 20_000 }).toContain(`${name} Muted`);
}
