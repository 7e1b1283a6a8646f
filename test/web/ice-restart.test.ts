import { describe, expect, it } from "vitest";
import { IceRestart, POLITE_RESTART_DELAY_MS, RETRY_RESTART_DELAY_MS } from "../../web/ice-restart.ts";

/** Timers the test runs by hand: each pending one with its delay. */
function manualTimers() {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  return {
    pending,
    setTimer: (callback: () => void, ms: number) => {
      pending.set(++next, { callback, ms });
      return next;
    },
    clearTimer: (timer: unknown) => void pending.delete(timer as number),
    fire() {
      const [id, timer] = [...pending][0]!;
      pending.delete(id);
      timer.callback();
    },
  };
}

function restartOn(polite: boolean) {
  const timers = manualTimers();
  let restarts = 0;
  const ice = new IceRestart({ polite, restart: () => restarts++, ...timers });
  return { ice, timers, restarts: () => restarts };
}

describe("ICE restart", () => {
  it("restarts on a failed connection (not only a failed ICE state), from the impolite side at once", () => {
    const { ice, restarts } = restartOn(false);
    ice.connectionStateChanged("disconnected");
    expect(restarts()).toBe(0);
    ice.connectionStateChanged("failed");
    expect(restarts()).toBe(1);
  });

  it("leaves the polite side waiting, restarting itself only if nothing recovered meanwhile", () => {
    const { ice, timers, restarts } = restartOn(true);
    ice.connectionStateChanged("failed");
    expect(restarts()).toBe(0);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([POLITE_RESTART_DELAY_MS]);
    timers.fire();
    expect(restarts()).toBe(1);
  });

  it("the polite side does nothing when the other side's restart brought the connection back", () => {
    const { ice, timers, restarts } = restartOn(true);
    ice.connectionStateChanged("failed");
    ice.connectionStateChanged("connecting");
    ice.connectionStateChanged("connected");
    expect(timers.pending.size).toBe(0);
    expect(restarts()).toBe(0);
  });

  it("tries again while the connection stays failed (the relay still down), and stops once closed", () => {
    const { ice, timers, restarts } = restartOn(false);
    ice.connectionStateChanged("failed");
    ice.connectionStateChanged("failed");
    expect(restarts()).toBe(1);
    expect([...timers.pending.values()].map((t) => t.ms)).toEqual([RETRY_RESTART_DELAY_MS]);
    timers.fire();
    expect(restarts()).toBe(2);
    ice.cancel();
    expect(timers.pending.size).toBe(0);
  });
});
