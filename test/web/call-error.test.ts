/**
 * CallError is told by a mark, not by its class: the call engine is a module
 * of its own (web/call-engine.ts) with its own copy of the class, and the
 * element's checks must know the engine's errors.
 */
import { describe, expect, it } from "vitest";
import { CallError } from "../../web/call-error.ts";

describe("CallError", () => {
  it("an error made by another copy of the module is still a CallError", async () => {
    // A query makes the module loader evaluate the file a second time, as the engine's bundle does.
    const specifier = "../../web/call-error.ts?as-in-the-engine";
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import("../../web/call-error.ts");
    expect(copy.CallError).not.toBe(CallError);
    const fromEngine = new copy.CallError("network", "The service could not be reached.");
    expect(fromEngine instanceof CallError).toBe(true);
    expect(fromEngine).toMatchObject({ name: "CallError", code: "network", message: "The service could not be reached." });
  });

  it("nothing else passes for one, even with a code", () => {
    expect(new Error("no") instanceof CallError).toBe(false);
    expect(Object.assign(new Error("no"), { code: "network", name: "CallError" }) instanceof CallError).toBe(false);
    expect({ code: "network" } instanceof CallError).toBe(false);
    expect((null as unknown) instanceof CallError).toBe(false);
  });
});
