/**
 * The device check when the browser says no: a person who refused the
 * camera and microphone gets plain words on what to do, and can still join
 * (to hear and be heard once they allow it, or to watch).
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, screenshot } from "./browser.ts";
import { createConsultation, devToken, waitForState } from "./samtale.ts";

const worker = inject("workerOrigin");

describe("the device check", () => {
  let browser: Browser;
  beforeAll(async () => {
    // The same Chromium, but permission prompts are refused instead of accepted.
    browser = await launchBrowser({ refusePermissions: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("explains a refused camera and microphone in plain words, and still lets the guest join", async () => {
    const hostToken = await devToken(worker, `host-${crypto.randomUUID()}`, "Kari Fysio");
    const consultation = await createConsultation(worker, hostToken);
    for (const viewport of [
      { width: 1280, height: 800, name: "desktop" },
      { width: 360, height: 740, name: "360" },
    ]) {
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      // The code is spent only on joining, which this test never does.
      await page.goto(consultation.invite.url);
      await waitForState(page, "checking");
      await expect.poll(() => page.getByText(/allow|permission|blocked/i).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.locator('video[part~="local-video"]').count()).toBe(0);
      await expect.poll(() => page.getByRole("button", { name: /join the consultation/i }).isEnabled()).toBe(true);
      await screenshot(page, `device-check-refused-${viewport.name}`);
      await context.close();
    }
  });
});
