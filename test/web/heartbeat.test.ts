import { describe, expect, it } from "vitest";
import { Heartbeat, MISSED_PONGS_FOR_DROP } from "../../web/heartbeat.ts";

function beating() {
  let tick: (() => void) | null = null;
  const log: string[] = [];
  const heartbeat = new Heartbeat({
    ping: () => log.push("ping"),
    silent: () => log.push("silent"),
    setInterval: (callback) => (tick = callback),
    clearInterval: () => (tick = null),
  });
  heartbeat.start();
  return { heartbeat, log, tick: () => tick?.(), running: () => tick !== null };
}

describe("the heartbeat of the line to the service", () => {
  it("pings every interval and keeps quiet while pongs come back", () => {
    const { heartbeat, log, tick } = beating();
    for (let i = 0; i < 5; i++) {
      tick();
      heartbeat.heard();
    }
    expect(log).toEqual(Array(5).fill("ping"));
  });

  it("calls a socket silent once its pings go unanswered, and stops pinging it", () => {
    const { log, tick, running } = beating();
    for (let i = 0; i < MISSED_PONGS_FOR_DROP + 3; i++) tick();
    expect(log).toEqual([...Array(MISSED_PONGS_FOR_DROP).fill("ping"), "silent"]);
    expect(running()).toBe(false);
  });

  it("counts any frame from the service as an answer", () => {
    const { heartbeat, log, tick } = beating();
    tick();
    heartbeat.heard();
    tick();
    tick();
    expect(log).not.toContain("silent");
  });
});
