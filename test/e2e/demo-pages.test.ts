/**
 * The README's walkthrough for the two demo pages: a practitioner signs in
 * on `/` with the demo issuer, creates a consultation, copies the guest's
 * link; the guest opens it in another window; they talk; the host ends it.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchBrowser, newPerson, screenshot } from "./browser.ts";
import { passDeviceCheck, waitForRemoteVideo, waitForState, watchPeerConnections } from "./samtale.ts";

const worker = inject("workerOrigin");

describe("the demo pages", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("hold a consultation from `/` to `/join` and back to the end", async () => {
    const host = (await newPerson(browser, worker)).page;
    const guest = (await newPerson(browser, worker, { width: 360, height: 740 })).page;
    await watchPeerConnections(host);
    await watchPeerConnections(guest);

    await host.goto(`${worker}/`);
    await host.getByLabel("Your name").fill("Kari Fysio");
    await host.getByLabel(/guest's name/i).fill("Ola Nordmann");
    await screenshot(host, "demo-start-desktop");
    await host.getByRole("button", { name: /create consultation/i }).click();
    const link = host.getByLabel("Link");
    await expect.poll(() => link.inputValue()).toMatch(/\/join#consultation=[0-9a-f]{64}&code=[A-Za-z0-9_-]+$/);
    const inviteUrl = await link.inputValue();

    await passDeviceCheck(host);
    await waitForState(host, "connected");

    await guest.goto(inviteUrl);
    await passDeviceCheck(guest);
    await waitForState(guest, "lobby");
    await host.getByRole("button", { name: "Admit" }).click();
    await waitForState(guest, "connected");
    await waitForRemoteVideo(host);
    await waitForRemoteVideo(guest);
    await screenshot(host, "demo-call-desktop");

    await host.getByRole("button", { name: "End consultation" }).click();
    await waitForState(guest, "ended");
    await waitForState(host, "ended");
    // The host's page offers a fresh start; the guest's link is spent.
    await expect.poll(() => host.getByRole("button", { name: /create consultation/i }).isVisible()).toBe(true);
  });
});
