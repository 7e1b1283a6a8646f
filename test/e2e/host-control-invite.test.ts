/**
 * The host adds a person from inside a group call, in real Chromium: the
 * "Add a person" dialog creates an invite and shows its link (with a copy
 * button) and its code. The dialog is screenshotted and checked with axe.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";
import { hostGroupCall } from "./group-call.ts";
import { callMethod } from "./samtale.ts";

describe("adding a person", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("adds a person from a dialog that shows the invitation's link", async () => {
    const { host, consultation } = await hostGroupCall(browser);

    // Add a person: the dialog makes an invite and shows its link and code.
    await host.getByRole("button", { name: "Add a person" }).click();
    await host.getByLabel("Their name (optional)").fill("Liv Dahl");
    await host.getByRole("button", { name: "Create invitation" }).click();
    const link = host.getByLabel("Invitation link");
    await link.waitFor();
    expect(await link.inputValue()).toMatch(new RegExp(`/join#consultation=${consultation.id}&code=`));
    await screenshot(host, "add-a-person");
    expect(await seriousViolations(host), "add-a-person dialog").toEqual([]);
    await host.getByRole("button", { name: "Close" }).click();

    expect(await callMethod(host, "end")).toEqual({ ok: true });
    await host.context().close();
  });
});
