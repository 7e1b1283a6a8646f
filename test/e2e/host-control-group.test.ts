/**
 * The call screen that says who is there, in real Chromium: a group of four
 * with named tiles and a muted one, and the same call on a 360 px phone.
 * Each view is screenshotted and checked with axe.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Invite } from "../../worker/protocol.ts";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, PHONE, screenshot } from "./browser.ts";
import { admitGuest, hostGroupCall, mute, SLOW_MACHINE_MS, tileCaptions, waitForTiles } from "./group-call.ts";
import { callMethod, waitForState } from "./samtale.ts";

describe("a group call screen", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows a group of four by name with a muted tile, on a desktop and on a phone", async () => {
    const { host, consultation } = await hostGroupCall(browser);

    // Two more people, invited from inside the call through the element's method.
    const invites: Invite[] = [];
    for (const name of ["Siri Berg", "Per Hansen"]) {
      const invite = await host.evaluate((name) => (document.querySelector("samtale-call") as any).invite({ name }), name);
      expect(invite.url).toContain(`consultation=${consultation.id}`);
      invites.push(invite);
    }
    const ola = await admitGuest(browser, host, consultation.invite.code!, consultation.id);
    const siri = await admitGuest(browser, host, invites[0]!.code!, consultation.id);
    const per = await admitGuest(browser, host, invites[1]!.code!, consultation.id, PHONE);
    await waitForTiles(host, 3);

    // Ola mutes: every other tile of Ola says so, and no video reloads for it.
    await host.evaluate(() => {
      for (const video of document.querySelector("samtale-call")!.shadowRoot!.querySelectorAll("video.remote")) (video as any).samtaleMark = true;
    });
    await mute(ola, host, "Ola Nordmann");
    expect((await tileCaptions(host)).sort()).toEqual(["Ola Nordmann Muted", "Per Hansen", "Siri Berg"]);
    await expect.poll(() => tileCaptions(siri), { timeout: 20_000 }).toContain("Ola Nordmann Muted");
    expect(await host.evaluate(() => [...document.querySelector("samtale-call")!.shadowRoot!.querySelectorAll("video.remote")].every((v) => (v as any).samtaleMark))).toBe(true);
    expect(await ola.getByRole("button", { name: "Unmute" }).count()).toBe(1);
    await screenshot(host, "group-of-four");
    expect(await seriousViolations(host), "group of four").toEqual([]);

    // The same call on a 360 px phone: the others first, nothing wider than the screen.
    // The layout is what this checks; the media path is the host's check above.
    const phone = PHONE.viewport;
    await waitForTiles(per, 3, { bytesGrowing: false });
    await screenshot(per, "phone-call-360");
    expect(await per.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    const controls = await per.evaluate(() => {
      const bar = document.querySelector("samtale-call")!.shadowRoot!.querySelector(".controls")!.getBoundingClientRect();
      return { top: bar.top, bottom: bar.bottom };
    });
    expect(controls.bottom).toBeLessThanOrEqual(phone.height);
    expect(await seriousViolations(per), "phone call").toEqual([]);

    expect(await callMethod(host, "end")).toEqual({ ok: true });
    await waitForState(siri, "ended", SLOW_MACHINE_MS);
    for (const page of [host, ola, siri, per]) await page.context().close();
  }, 360_000);
});
