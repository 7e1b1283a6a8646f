/**
 * The flood guard's refusals leak away over time, so an honest burst now and
 * then is forgiven, while a slow abuser, whose refusals come faster than they
 * leak, is closed in the end. Times are passed in: nothing here waits.
 */
import { describe, expect, it } from "vitest";
import { FloodGuard } from "../../worker/flood-guard.ts";

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe("flood guard", () => {
  it("closes at the 100th refusal in a row", () => {
    const guard = new FloodGuard(undefined, 0);
    const closes = Array.from({ length: 100 }, () => guard.strike(0));
    expect(closes.indexOf(true)).toBe(99);
  });

  it("a slow abuser, one refused message a second, is closed within a few minutes", () => {
    const guard = new FloodGuard(undefined, 0);
    let closedAt: number | undefined;
    for (let t = 0; t < 10 * MINUTE && closedAt === undefined; t += SECOND) if (guard.strike(t)) closedAt = t;
    expect(closedAt).toBeDefined();
    expect(closedAt!).toBeGreaterThan(100 * SECOND);
  });

  it("one refused message every four seconds is closed too, in the end", () => {
    const guard = new FloodGuard(undefined, 0);
    let closed = false;
    for (let t = 0; t < 2 * 60 * MINUTE && !closed; t += 4 * SECOND) closed = guard.strike(t);
    expect(closed).toBe(true);
  });

  it("an honest burst of 60 refusals every ten minutes for a day never adds up to a close", () => {
    const guard = new FloodGuard(undefined, 0);
    for (let burst = 0; burst < 24 * 6; burst++) {
      const start = burst * 10 * MINUTE;
      for (let n = 0; n < 60; n++) expect(guard.strike(start + n * 20)).toBe(false);
    }
  });

  it("99 refusals are forgiven with time: one more after ten minutes does not close", () => {
    const guard = new FloodGuard(undefined, 0);
    for (let n = 0; n < 99; n++) guard.strike(n);
    expect(guard.strike(10 * MINUTE)).toBe(false);
  });

  it("a guard rebuilt from its record (a wake-up) goes on counting where the old one stopped", () => {
    const before = new FloodGuard(undefined, 0);
    for (let n = 0; n < 60; n++) before.strike(0);
    const after = new FloodGuard(structuredClone(before.record), 0);
    const closes = Array.from({ length: 40 }, () => after.strike(0));
    expect(closes.at(-1)).toBe(true);
    expect(closes.slice(0, -1).every((close) => !close)).toBe(true);
  });
});
