import { afterEach, describe, expect, it, vi } from "vitest";
import { forget, recall, remember } from "../../web/tab-memory.ts";

afterEach(() => vi.unstubAllGlobals());

describe("what a tab remembers about a consultation", () => {
  it("keeps each memory per consultation until forgotten", () => {
    const store = new Map<string, string>();
    vi.stubGlobal("sessionStorage", {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v),
      removeItem: (k: string) => void store.delete(k),
    });
    remember("joined", "c1", "1");
    remember("resume", "c1", "r");
    expect(recall("joined", "c1")).toBe("1");
    expect(recall("joined", "c2")).toBeNull();
    forget("joined", "c1");
    expect(recall("joined", "c1")).toBeNull();
    expect(recall("resume", "c1")).toBe("r");
  });

  it("remembers nothing, and does not throw, when storage is blocked", () => {
    const blocked = () => {
      throw new DOMException("blocked", "SecurityError");
    };
    vi.stubGlobal("sessionStorage", { getItem: blocked, setItem: blocked, removeItem: blocked });
    expect(() => remember("resume", "c1", "r")).not.toThrow();
    expect(recall("resume", "c1")).toBeNull();
    expect(() => forget("resume", "c1")).not.toThrow();
  });
});
