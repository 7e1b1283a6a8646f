import { describe, expect, it } from "vitest";
import { withVerificationCode, type CallParticipant } from "../../web/roster.ts";

const ana: CallParticipant = { id: "a", name: "Ana", role: "host", verified: "token" };
const bo: CallParticipant = { id: "b", name: "Bo", role: "guest", verified: "code", verificationCode: "111 222" };

describe("group verification codes in the roster", () => {
  it("sets one participant's code and leaves the others alone", () => {
    const roster = withVerificationCode([ana, bo], "a", "333 444");
    expect(roster).toEqual([{ ...ana, verificationCode: "333 444" }, bo]);
  });

  it("marks a changed code, and drops the mark with the next code or the connection", () => {
    const changed = withVerificationCode([ana, bo], "b", "555 666", true);
    expect(changed[1]).toEqual({ ...bo, verificationCode: "555 666", verificationChanged: true });
    expect(withVerificationCode(changed, "b", "555 666")[1]).toEqual({ ...bo, verificationCode: "555 666" });
    expect("verificationChanged" in withVerificationCode(changed, "b", null)[1]!).toBe(false);
  });

  it("removes a code whose connection closed", () => {
    const roster = withVerificationCode([ana, bo], "b", null);
    expect(roster[1]).toEqual({ id: "b", name: "Bo", role: "guest", verified: "code" });
    expect("verificationCode" in roster[1]!).toBe(false);
  });
});
