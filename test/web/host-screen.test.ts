import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { KNOCK_REPEAT_MS, KnockReminder } from "../../web/knock-reminder.ts";
import { mediaStateSignal, parseMediaState } from "../../web/media-state.ts";
import { parsePeerSignal } from "../../web/negotiation.ts";
import { isSpeaking } from "../../web/speaking.ts";
import { nextCorner, stageLayout } from "../../web/stage-layout.ts";

describe("media state messages", () => {
  it("round-trips through signal data, and is no negotiation signal", () => {
    const data = mediaStateSignal({ microphone: false, camera: true });
    expect(parseMediaState(JSON.parse(JSON.stringify(data)))).toEqual({ microphone: false, camera: true });
    expect(parsePeerSignal(data)).toBeNull();
  });

  it("drops anything that is not exactly two booleans", () => {
    for (const data of [null, 7, {}, { media: null }, { media: { microphone: "no", camera: true } }, { media: { microphone: true } }, { description: { type: "offer" } }]) {
      expect(parseMediaState(data), JSON.stringify(data)).toBeNull();
    }
    // Extra fields from a newer peer are ignored, not passed on.
    expect(parseMediaState({ media: { microphone: true, camera: false, hand: true } })).toEqual({ microphone: true, camera: false });
  });
});

describe("the speaking indicator", () => {
  it("lights above one level and goes out only below a lower one", () => {
    expect(isSpeaking(false, 0.02)).toBe(false);
    expect(isSpeaking(false, 0.1)).toBe(true);
    expect(isSpeaking(true, 0.02)).toBe(true);
    expect(isSpeaking(true, 0.001)).toBe(false);
  });
});

describe("the stage layout", () => {
  it("lets one other person fill the stage with your picture floating, and gives you a tile in a group", () => {
    expect(stageLayout(0)).toEqual({ selfFloats: true, columns: 1, narrowColumns: 1 });
    expect(stageLayout(1)).toEqual({ selfFloats: true, columns: 1, narrowColumns: 1 });
    expect(stageLayout(2)).toEqual({ selfFloats: false, columns: 2, narrowColumns: 1 });
    expect(stageLayout(3)).toEqual({ selfFloats: false, columns: 2, narrowColumns: 2 });
    expect(stageLayout(4)).toEqual({ selfFloats: false, columns: 3, narrowColumns: 2 });
  });

  it("moves your floating picture round the four corners", () => {
    const seen = new Set<string>();
    let corner = nextCorner("bottom-right");
    for (let i = 0; i < 4; i++) seen.add((corner = nextCorner(corner)));
    expect(seen.size).toBe(4);
    expect(corner).toBe("bottom-left");
  });
});

describe("the knock reminder", () => {
  let hidden: boolean;
  let waiting: boolean;
  let reminders: number;
  let reminder: KnockReminder;

  beforeEach(() => {
    vi.useFakeTimers();
    hidden = true;
    waiting = true;
    reminders = 0;
    reminder = new KnockReminder({ hidden: () => hidden, anyoneWaiting: () => waiting, remind: () => void reminders++ });
  });
  afterEach(() => vi.useRealTimers());

  it("repeats every 15 seconds, never sooner, while the tab is hidden and someone waits", () => {
    reminder.knocked();
    vi.advanceTimersByTime(KNOCK_REPEAT_MS - 1);
    expect(reminders).toBe(0);
    vi.advanceTimersByTime(1);
    expect(reminders).toBe(1);
    // A second knock in between restarts the wait instead of adding a second timer.
    vi.advanceTimersByTime(5000);
    reminder.knocked();
    vi.advanceTimersByTime(KNOCK_REPEAT_MS * 2);
    expect(reminders).toBe(3);
  });

  it("stops when the host acts (nobody waits) or comes back", () => {
    reminder.knocked();
    vi.advanceTimersByTime(KNOCK_REPEAT_MS);
    waiting = false;
    vi.advanceTimersByTime(KNOCK_REPEAT_MS * 4);
    expect(reminders).toBe(1);

    waiting = true;
    reminder.knocked();
    hidden = false;
    vi.advanceTimersByTime(KNOCK_REPEAT_MS * 4);
    expect(reminders).toBe(1);

    hidden = true;
    reminder.knocked();
    reminder.stop();
    vi.advanceTimersByTime(KNOCK_REPEAT_MS * 4);
    expect(reminders).toBe(1);
  });

  it("does not remind a host who is looking", () => {
    hidden = false;
    reminder.knocked();
    vi.advanceTimersByTime(KNOCK_REPEAT_MS * 4);
    expect(reminders).toBe(0);
  });
});
