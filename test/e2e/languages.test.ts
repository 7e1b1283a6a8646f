/**
 * The element speaks the page's language on a partner's page of another
 * origin: each translation is a module of its own that the element fetches
 * from beside itself, cross-origin, only when that language is chosen.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPerson } from "./browser.ts";

const worker = inject("workerOrigin");
const partner = inject("partnerOrigin");

/** The device check's heading, in the element's shadow DOM. */
function heading(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    const check = document.querySelector("samtale-call")?.shadowRoot?.querySelector("samtale-device-check");
    return check?.shadowRoot?.querySelector("h2")?.textContent?.trim();
  });
}

describe("the element's languages", () => {
  let browser: Browser;
  let page: Page;
  let errors: string[];
  /** What the page loaded from the Samtale service, with each answer's status. */
  const fetched: { url: string; status: number }[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
    ({ page, errors } = await newPerson(browser, partner));
    page.on("response", (response) => {
      if (response.url().startsWith(worker)) fetched.push({ url: response.url(), status: response.status() });
    });
    await page.goto(`${partner}/partner`);
    await page.waitForFunction(() => customElements.get("samtale-call") !== undefined);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("renders a Norwegian page in Norwegian from its first render, fetching only that translation", async () => {
    const firstRender = await page.evaluate(async () => {
      const call = document.createElement("samtale-call") as HTMLElement & { updateComplete: Promise<boolean> };
      call.setAttribute("consultation", "not-needed-for-the-device-check");
      call.setAttribute("lang", "nb");
      document.getElementById("mount")!.append(call);
      await call.updateComplete;
      return call.shadowRoot?.querySelector("div[lang]")?.getAttribute("lang");
    });
    expect(firstRender).toBe("nb");
    await expect.poll(() => heading(page)).toBe("Sjekk kamera og mikrofon");

    const isEngine = (url: string) => /\/chunks\/call-engine-[A-Z0-9]+\.js$/.test(url);
    const translations = fetched.filter(({ url }) => url.includes("/chunks/") && !isEngine(url));
    expect(translations).toHaveLength(1);
    expect(translations[0]!.url).toMatch(new RegExp(`^${worker}/chunks/nb-[A-Z0-9]+\\.js$`));
    expect(translations[0]!.status).toBe(200);
    // The call engine comes from beside the element too, across origins, before anyone presses Join.
    await expect.poll(() => fetched.filter(({ url, status }) => isEngine(url) && status === 200).length).toBe(1);
  });

  it("switches language when the page changes `lang`", async () => {
    await page.evaluate(() => document.querySelector("samtale-call")!.setAttribute("lang", "sv"));
    await expect.poll(() => heading(page)).toBe("Kontrollera kamera och mikrofon");
    await page.evaluate(() => document.querySelector("samtale-call")!.setAttribute("lang", "en"));
    await expect.poll(() => heading(page)).toBe("Check your camera and microphone");
    // The partner's test page has no favicon; nothing else may fail.
    expect(errors.filter((e) => !/Failed to load resource: .* 404/.test(e))).toEqual([]);
    expect(fetched.filter(({ status }) => status !== 200)).toEqual([]);
  });
});
