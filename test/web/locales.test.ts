import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { templates as da } from "../../web/locales/da.ts";
import { templates as nb } from "../../web/locales/nb.ts";
import { templates as nn } from "../../web/locales/nn.ts";
import { templates as sv } from "../../web/locales/sv.ts";
import { supportedLocales } from "../../web/locale-choice.ts";

const translations = { nb, nn, sv, da };

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

  it("has a translation for every language the element offers besides English", () => {
    expect(Object.keys(translations).sort()).toEqual(supportedLocales.filter((l) => l !== "en").sort());
  });

  for (const [name, templates] of Object.entries(translations)) {
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
    for (const templates of [nn, sv, da]) expect(withValues(templates)).toEqual(withValues(nb));
    expect(withValues(nb)).toContain("announce.knock");
  });
});
