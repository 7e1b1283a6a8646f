/**
 * The host removes someone from a group call, in real Chromium: Remove asks
 * for a confirmation (answered by keyboard), the removed person's element
 * ends in `removed` with its explanation, the others no longer see them,
 * and a second removal, the host removing themself or a guest removing
 * anyone are refused. The confirmation and the removed screen are
 * screenshotted and checked with axe.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Participant } from "../../worker/protocol.ts";
import { seriousViolations } from "./axe.ts";
import { launchBrowser, screenshot } from "./browser.ts";
import { admitGuest, hostGroupCall, mute, SLOW_MACHINE_MS, tileCaptions, waitForTiles } from "./group-call.ts";
import { callMethod, callProperty, waitForState } from "./samtale.ts";

describe("removing a person", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("removes one after a confirmation, for good, and refuses what only the host or nobody may do", async () => {
    const { host, consultation } = await hostGroupCall(browser);
    const invite = await host.evaluate(() => (document.querySelector("samtale-call") as any).invite({ name: "Siri Berg" }));
    const ola = await admitGuest(browser, host, consultation.invite.code!, consultation.id);
    const siri = await admitGuest(browser, host, invite.code!, consultation.id);
    await waitForTiles(host, 2, { bytesGrowing: false });
    // Ola's tile carries a mark (muted) that shows it is still on Siri's screen, until it is not.
    await mute(ola, host, "Ola Nordmann");
    await expect.poll(() => tileCaptions(siri), { timeout: 20_000 }).toContain("Ola Nordmann Muted");

    // The host removes Ola: Remove asks first; the answer is reached by keyboard.
    const olaId = (await callProperty<Participant[]>(host, "participants")).find((p) => p.name === "Ola Nordmann")!.id;
    await host.getByRole("button", { name: "Remove Ola Nordmann" }).click();
    await host.getByRole("button", { name: "Yes, remove" }).waitFor();
    await screenshot(host, "host-remove-confirm");
    expect(await seriousViolations(host), "remove confirmation").toEqual([]);
    // Focus sits on Cancel; one step back is the confirming button.
    await host.keyboard.press("Shift+Tab");
    await host.keyboard.press("Enter");
    await waitForState(ola, "removed", SLOW_MACHINE_MS);
    expect(await ola.evaluate(() => sessionStorage.length)).toBe(0);
    await screenshot(ola, "removed");
    expect(await seriousViolations(ola), "removed").toEqual([]);
    await expect.poll(async () => (await callProperty<Participant[]>(host, "participants")).map((p) => p.id)).not.toContain(olaId);
    await expect.poll(() => tileCaptions(siri), { timeout: 20_000 }).not.toContain("Ola Nordmann Muted");
    // Removed for good: a second remove of the same person, and the host removing themself, are refused.
    expect(await callMethod(host, "remove", olaId)).toEqual({ ok: false, code: "not_found" });
    const hostId = (await callProperty<Participant>(host, "you")).id;
    expect(await callMethod(host, "remove", hostId)).toEqual({ ok: false, code: "invalid_request" });
    expect(await callMethod(siri, "remove", hostId)).toEqual({ ok: false, code: "invalid_state" });

    expect(await callMethod(host, "end")).toEqual({ ok: true });
    await waitForState(siri, "ended", SLOW_MACHINE_MS);
    for (const page of [host, ola, siri]) await page.context().close();
  }, 300_000);
});
