import { describe, expect, it } from "vitest";
import { isAllowed, isFinal, nextState, type CallEvent, type CallState } from "../../web/call-state.ts";

function run(events: CallEvent[], from: CallState = "idle"): CallState | null {
  let state: CallState | null = from;
  for (const event of events) {
    if (state === null) return null;
    state = nextState(state, event);
  }
  return state;
}

describe("the call state machine", () => {
  it("takes a guest from the device check through the lobby into the call", () => {
    expect(run(["check"])).toBe("checking");
    expect(run(["check", "join"])).toBe("joining");
    expect(run(["check", "join", "lobby"])).toBe("lobby");
    expect(run(["check", "join", "lobby", "welcome"])).toBe("connected");
  });

  it("lets the host (or a skipped device check) go straight to connected", () => {
    expect(run(["join", "welcome"])).toBe("connected");
  });

  it("reconnects and comes back to connected on a fresh welcome, not the lobby", () => {
    expect(run(["join", "welcome", "connection-lost"])).toBe("reconnecting");
    expect(run(["join", "welcome", "connection-lost", "connection-lost"])).toBe("reconnecting");
    expect(run(["join", "welcome", "connection-lost", "welcome"])).toBe("connected");
  });

  it("ends a denied guest in denied, from the lobby or while reconnecting", () => {
    expect(run(["join", "lobby", "denied"])).toBe("denied");
    expect(run(["join", "lobby", "connection-lost", "denied"])).toBe("denied");
  });

  it("ends a removed person in removed, whether admitted, waiting or reconnecting", () => {
    expect(run(["join", "welcome", "removed"])).toBe("removed");
    expect(run(["join", "lobby", "removed"])).toBe("removed");
    expect(run(["join", "welcome", "connection-lost", "removed"])).toBe("removed");
  });

  it("does not let an admitted participant be denied afterwards", () => {
    expect(run(["join", "welcome", "denied"])).toBeNull();
  });

  it("never leaves a final state", () => {
    for (const final of ["ended", "denied", "removed", "error"] as const) {
      expect(isFinal(final)).toBe(true);
      for (const event of ["check", "join", "lobby", "welcome", "connection-lost", "ended", "denied", "removed", "failed"] as const) {
        expect(nextState(final, event), `${final} + ${event}`).toBeNull();
      }
    }
    expect(isFinal("connected")).toBe(false);
  });

  it("refuses a welcome before anyone asked to join", () => {
    expect(nextState("idle", "welcome")).toBeNull();
    expect(nextState("checking", "lobby")).toBeNull();
  });
});

describe("which methods each state allows", () => {
  it("allows join only before joining", () => {
    expect(isAllowed("join", "idle")).toBe(true);
    expect(isAllowed("join", "checking")).toBe(true);
    expect(isAllowed("join", "lobby")).toBe(false);
    expect(isAllowed("join", "connected")).toBe(false);
  });

  it("allows admit and deny only in the call, and end also while reconnecting", () => {
    expect(isAllowed("admit", "connected")).toBe(true);
    expect(isAllowed("deny", "lobby")).toBe(false);
    expect(isAllowed("end", "reconnecting")).toBe(true);
    expect(isAllowed("end", "lobby")).toBe(false);
  });

  it("allows leave while anything is going on, never after the end", () => {
    expect(isAllowed("leave", "lobby")).toBe(true);
    expect(isAllowed("leave", "ended")).toBe(false);
    expect(isAllowed("leave", "idle")).toBe(false);
  });
});
