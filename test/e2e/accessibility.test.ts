/**
 * axe-core, injected into the real pages, on each view a person meets: the
 * device check, the lobby, the call and the end. Serious or critical
 * violations fail; screenshots of each view land beside the others.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, newPerson, screenshot } from "./browser.ts";
import { callMethod, createConsultation, devToken, openCall, passDeviceCheck, waitForKnock, waitForRemoteVideo, waitForState, watchPeerConnections } from "./samtale.ts";

const worker = inject("workerOrigin");

describe("accessibility of every view", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("has no serious violations in the device check, lobby, call and end, at desktop and phone width", async () => {
    for (const viewport of [
      { width: 1280, height: 800, name: "desktop" },
      { width: 360, height: 740, name: "360" },
    ]) {
      const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
      const consultation = await createConsultation(worker, hostToken);
      const host = (await newPerson(browser, worker, viewport)).page;
      const guest = (await newPerson(browser, worker, viewport)).page;
      await watchPeerConnections(guest);

      await openCall(host, worker, { consultation: consultation.id, token: hostToken, lang: "en" });
      await waitForState(host, "checking");
      await host.locator('video[part~="local-video"]').waitFor();
      await screenshot(host, `device-check-${viewport.name}`);
      expect(await seriousViolations(host), `device check, ${viewport.name}`).toEqual([]);
      expect(await callMethod(host, "join")).toEqual({ ok: true });
      await waitForState(host, "connected");

      await guest.goto(consultation.invite.url);
      await passDeviceCheck(guest);
      await waitForState(guest, "lobby");
      await screenshot(guest, `lobby-${viewport.name}`);
      expect(await seriousViolations(guest), `lobby, ${viewport.name}`).toEqual([]);

      const knock = await waitForKnock(host);
      await screenshot(host, `host-knock-${viewport.name}`);
      expect(await seriousViolations(host), `knock list, ${viewport.name}`).toEqual([]);
      await callMethod(host, "admit", knock.id);
      await waitForState(guest, "connected");
      await waitForRemoteVideo(guest);
      await screenshot(guest, `guest-call-${viewport.name}`);
      expect(await seriousViolations(guest), `call, ${viewport.name}`).toEqual([]);
      expect(await seriousViolations(host), `call (host), ${viewport.name}`).toEqual([]);

      await callMethod(host, "end");
      await waitForState(guest, "ended");
      await screenshot(guest, `ended-${viewport.name}`);
      expect(await seriousViolations(guest), `ended, ${viewport.name}`).toEqual([]);
      await host.context().close();
      await guest.context().close();
    }
  });
});
