import { describe, expect, it } from "vitest";
import { admittedPair } from "./helpers.ts";

describe("smoke", () => {
  it("host and guest meet", async () => {
    const { welcome, joined } = await admittedPair();
    expect(welcome.participants).toHaveLength(2);
    expect(joined.participant.role).toBe("guest");
  });
});
