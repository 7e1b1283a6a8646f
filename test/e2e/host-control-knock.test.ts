/**
 * A knock is not missed while the host's tab is hidden: in real Chromium,
 * with the host on the demo page behind another tab, a knock puts the count
 * in the tab's title, fires `samtale-knock`, shows a system notification
 * that names nobody (the page may show one) and shows it again after the
 * reminder's interval while the person still waits; the reminders stop when
 * the host comes back to the tab, and when the host admits everyone.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Invite } from "../../worker/protocol.ts";
import { KNOCK_REPEAT_MS } from "../../web/knock-reminder.ts";
import { launchBrowser, launchBrowserWithHidingTabs, newPerson } from "./browser.ts";
import { callMethod, events, passDeviceCheck, recordEvents, waitForState } from "./samtale.ts";

const worker = inject("workerOrigin");
/** What follows at once in the page, given time on a busy machine. */
const SOON = { timeout: 15_000 };

interface ShownNotification {
  title: string;
  body: string;
  /** `performance.now()` in the host's page when it was shown. */
  at: number;
  visibility: DocumentVisibilityState;
}

/**
 * Observes the page's real `Notification` constructor: every notification
 * the page creates is still created by the browser, and noted here too.
 */
async function recordNotifications(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Real = window.Notification;
    const shown: ShownNotification[] = [];
    (window as unknown as { samtaleNotifications: ShownNotification[] }).samtaleNotifications = shown;
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body ?? "", at: performance.now(), visibility: document.visibilityState });
      }
    } as typeof Notification;
  });
}

function notifications(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() => (window as unknown as { samtaleNotifications: ShownNotification[] }).samtaleNotifications);
}

function visibility(page: Page): Promise<DocumentVisibilityState> {
  return page.evaluate(() => document.visibilityState);
}

/** Waits, in the page's own clock, until `ms` after the page time `since`. */
async function waitInPage(page: Page, since: number, ms: number): Promise<void> {
  await page.waitForFunction((until) => performance.now() > until, since + ms, { timeout: ms + 30_000, polling: 500 });
}

describe("a knock while the host's tab is hidden", () => {
  let hostBrowser: { context: BrowserContext; stop(): Promise<void> };
  let guestBrowser: Browser;
  beforeAll(async () => {
    hostBrowser = await launchBrowserWithHidingTabs();
    guestBrowser = await launchBrowser();
  });
  afterAll(async () => {
    await hostBrowser?.stop();
    await guestBrowser?.close();
  });

  it("shows the count in the title, notifies without a name, reminds again, and stops when the host is back or admits", async () => {
    const { context } = hostBrowser;
    await context.grantPermissions(["camera", "microphone", "notifications"], { origin: worker });
    const host = await context.newPage();
    const errors: string[] = [];
    host.on("pageerror", (error) => errors.push(String(error)));
    await recordNotifications(host);

    // The practitioner starts a group consultation on the demo page.
    await host.goto(`${worker}/`);
    const pageTitle = await host.title();
    await host.getByLabel("Your name").fill("Kari Fysio");
    await host.getByLabel(/guest's name/i).fill("Ola Nordmann");
    await host.getByLabel("Group (up to 5)").check();
    await host.getByRole("button", { name: /create consultation/i }).click();
    const link = host.getByLabel("Link");
    await expect.poll(() => link.inputValue(), SOON).toMatch(/\/join#consultation=/);
    const inviteUrl = await link.inputValue();
    await passDeviceCheck(host);
    await waitForState(host, "connected");
    await recordEvents(host);
    const second: Invite = await host.evaluate(() => (document.querySelector("samtale-call") as any).invite({ name: "Per Hansen" }));
    expect(await host.evaluate(() => Notification.permission)).toBe("granted");

    // The practitioner opens another tab: the call's tab is hidden, for real.
    const otherTab = await context.newPage();
    await otherTab.bringToFront();
    await expect.poll(() => visibility(host), SOON).toBe("hidden");

    // Ola knocks.
    const ola = (await newPerson(guestBrowser, worker)).page;
    await ola.goto(inviteUrl);
    await passDeviceCheck(ola);
    await waitForState(ola, "lobby");
    await expect.poll(() => host.title(), { timeout: 30_000 }).toBe(`(1) ${pageTitle}`);
    expect((await events(host)).filter((e) => e.type === "knock").map((e) => e.detail.participant.name)).toEqual(["Ola Nordmann"]);
    await expect.poll(() => notifications(host), SOON).toHaveLength(1);
    const [first] = await notifications(host);
    expect(first!.visibility).toBe("hidden");
    // Lock screens are public: the notification says someone waits, not who.
    expect(`${first!.title} ${first!.body}`).not.toMatch(/Ola|Nordmann/);
    expect(first!.title).not.toBe("");

    // Ola still waits and the tab is still hidden: the reminder comes again, not sooner than its interval.
    await expect.poll(() => notifications(host), { timeout: KNOCK_REPEAT_MS + 30_000, interval: 500 }).toHaveLength(2);
    const [, again] = await notifications(host);
    expect(again!.at - first!.at).toBeGreaterThanOrEqual(KNOCK_REPEAT_MS);
    expect(`${again!.title} ${again!.body}`).not.toMatch(/Ola|Nordmann/);

    // The host comes back to the tab, sees the lobby, and switches away again without acting:
    // the reminders stopped when they came back, so no third one.
    await host.bringToFront();
    await expect.poll(() => visibility(host), SOON).toBe("visible");
    await otherTab.bringToFront();
    await expect.poll(() => visibility(host), SOON).toBe("hidden");
    await waitInPage(host, again!.at, KNOCK_REPEAT_MS + 2_000);
    expect(await notifications(host)).toHaveLength(2);
    expect(await host.title()).toBe(`(1) ${pageTitle}`);

    // Per knocks too, which starts the reminders again; the host admits both from the hidden tab.
    const per = (await newPerson(guestBrowser, worker)).page;
    await per.goto(second.url);
    await passDeviceCheck(per);
    await waitForState(per, "lobby");
    await expect.poll(() => host.title(), { timeout: 30_000 }).toBe(`(2) ${pageTitle}`);
    await expect.poll(() => notifications(host), SOON).toHaveLength(3);
    const third = (await notifications(host))[2]!;
    const knocking = await host.evaluate(() => (document.querySelector("samtale-call") as any).knocking.map((p: { id: string }) => p.id));
    for (const id of knocking) expect(await callMethod(host, "admit", id)).toEqual({ ok: true });
    await waitForState(ola, "connected");
    await waitForState(per, "connected");
    await expect.poll(() => host.title(), SOON).toBe(pageTitle);
    // Nobody waits: the reminder that was due stays silent.
    await waitInPage(host, third.at, KNOCK_REPEAT_MS + 2_000);
    expect(await notifications(host)).toHaveLength(3);
    expect(await visibility(host)).toBe("hidden");

    expect(await callMethod(host, "end")).toEqual({ ok: true });
    await waitForState(ola, "ended");
    expect(errors).toEqual([]);
    await ola.context().close();
    await per.context().close();
  }, 240_000);
});
