import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { templates as nb } from "../../web/locales/nb.ts";
import { templates as sv } from "../../web/locales/sv.ts";

const webDir = new URL("../../web/", import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "locales" || name === "pages" ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/** Every `msg(…, { id: "…" })` id in the element's source. */
const usedIds = new Set(sourceFiles(webDir).flatMap((file) => [...readFileSync(file, "utf8").matchAll(/\{\s*id:\s*"([^"]+)",?\s*\}/g)].map((m) => m[1]!)));

describe("translations", () => {
  it("finds the ids the source uses", () => {
    expect(usedIds.size).toBeGreaterThan(50);
    expect(usedIds).toContain("lobby.title");
  });

  for (const [name, templates] of [["nb", nb], ["sv", sv]] as const) {
    it(`${name} translates every message and nothing that no longer exists`, () => {
      expect(Object.keys(templates).sort()).toEqual([...usedIds].sort());
    });
  }

  it("keeps the expressions of templates with values", () => {
    const withValues = (t: Record<string, unknown>) =>
      Object.entries(t)
        .filter(([, v]) => typeof v === "object")
        .map(([k]) => k)
        .sort();
    expect(withValues(nb)).toEqual(withValues(sv));
    expect(withValues(nb)).toContain("announce.knock");
  });
});
