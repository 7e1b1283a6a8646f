/**
 * Debian's Chromium driven by playwright-core, with a fake camera and
 * microphone and permission prompts accepted, so WebRTC runs for real.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startProcess, stopProcessGroup } from "../process-group.ts";
import type { BrowserPage } from "./browser-page.ts";

export const SCREENSHOTS = "test-results/screenshots";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function chromiumArgs(options: { refusePermissions?: boolean }): string[] {
  return [
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
  ];
}

export function launchBrowser(options: { refusePermissions?: boolean } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(options) });
}

/**
 * One person's Chromium whose tabs hide as a person's do: bringing another
 * tab to the front makes the one behind it `document.visibilityState`
 * "hidden". A browser Playwright launches cannot do that: it turns on focus
 * emulation in every page it opens, which holds the page visible. So this
 * one is started here and attached over CDP with `noDefaults`, which leaves
 * the browser's own (default) context alone; everything happens in it.
 */
export async function launchBrowserWithHidingTabs(): Promise<{ context: BrowserContext; stop(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "samtale-chromium-"));
  const { child, started, output } = startProcess(
    "chromium",
    CHROMIUM,
    ["--headless", "--remote-debugging-port=0", `--user-data-dir=${profile}`, ...chromiumArgs({}), "about:blank"],
    /DevTools listening on ws:\/\/\S+/,
    60_000,
  );
  try {
    await started;
    const browser = await chromium.connectOverCDP(output().match(/DevTools listening on (ws:\/\/\S+)/)![1]!, { noDefaults: true });
    return {
      context: browser.contexts()[0]!,
      stop: async () => {
        await browser.close();
        await stopProcessGroup(child);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await stopProcessGroup(child);
    throw error;
  }
}

/** A phone's screen: 360 px wide, touch, and the page's own `meta viewport` honoured as a phone does. */
export const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } as const;

/** A fresh context per person: separate storage, granted camera and microphone. */
export async function newPerson(
  browser: Browser,
  origin: string,
  screen: { width: number; height: number } | typeof PHONE = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext("viewport" in screen ? screen : { viewport: screen });
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
