/**
 * Debian's Chromium driven by playwright-core, with a fake camera and
 * microphone and permission prompts accepted, so WebRTC runs for real.
 */
import { mkdirSync } from "node:fs";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { BrowserPage } from "./browser-page.ts";

export const SCREENSHOTS = "test-results/screenshots";

export function launchBrowser(options: { refusePermissions?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--use-fake-device-for-media-stream",
      // A person who says yes to camera and microphone, or one who says no.
      options.refusePermissions ? "--deny-permission-prompts" : "--use-fake-ui-for-media-stream",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** A fresh context per person: separate storage, granted camera and microphone. */
export async function newPerson(
  browser: Browser,
  origin: string,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport });
  await context.grantPermissions(["camera", "microphone"], { origin });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return { context, page, errors };
}

export async function screenshot(page: BrowserPage, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
