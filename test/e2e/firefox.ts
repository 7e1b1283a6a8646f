/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi, with a
 * fake camera and microphone and no permission prompts, so WebRTC runs for
 * real against the other browser. puppeteer-core never downloads a browser:
 * it starts the one the machine has.
 */
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import type { BrowserPage } from "./browser-page.ts";

export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: "firefox",
    executablePath: process.env.FIREFOX_PATH ?? "/usr/bin/firefox-esr",
    headless: true,
    defaultViewport: { width: 1280, height: 800 },
    extraPrefsFirefox: {
      // A fake camera and microphone, handed out without asking.
      "media.navigator.streams.fake": true,
      "media.navigator.permission.disabled": true,
      // Both browsers share one machine, which may have no interface but
      // loopback: offer loopback candidates, and real host addresses rather
      // than mDNS names that nothing here resolves.
      "media.peerconnection.ice.loopback": true,
      "media.peerconnection.ice.obfuscate_host_addresses": false,
    },
  });
}

/** A fresh, private browser context per person, like `newPerson` for Chromium. */
export async function newFirefoxPerson(browser: Browser): Promise<{ page: BrowserPage; errors: string[] }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  return { page: asBrowserPage(page), errors };
}

function asBrowserPage(page: Page): BrowserPage {
  return {
    goto: (url) => page.goto(url),
    evaluate: (pageFunction, arg) => page.evaluate(pageFunction, arg),
    // Poll on a timer, as the Chromium helpers do: animation frames stall in a page not in front.
    waitForFunction: (pageFunction, arg, options) =>
      page.waitForFunction(pageFunction, { polling: 100, ...options }, arg),
    addInitScript: (script, arg) => page.evaluateOnNewDocument(script, arg),
    screenshot: ({ path, fullPage }) => page.screenshot({ path: path as `${string}.png`, fullPage }),
  };
}
