/**
 * The build's template minifier (web/minify-templates.mjs) on the element's
 * own sources: templates lose their indentation, and nothing that changes
 * what the browser draws.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { minifyTemplates } from "../../web/minify-templates.mjs";

async function minified(path: string): Promise<string> {
  const result = await build({ entryPoints: [path], bundle: false, write: false, format: "esm", plugins: [minifyTemplates] });
  return result.outputFiles[0]!.text;
}

const templates = (code: string) => [...code.matchAll(/\b(?:html|svg|css)`([^`]*)`/g)].map((m) => m[1]!);

describe("minifying the element's templates", () => {
  it("keeps every closing slash of the icons' svg fragments, so a path is never drawn inside a rect", async () => {
    const path = "web/samtale-call/icons.ts";
    const slashes = (code: string) => templates(code).join("").match(/\/>/g)?.length ?? 0;
    expect(slashes(readFileSync(path, "utf8"))).toBeGreaterThan(5);
    expect(slashes(await minified(path))).toBe(slashes(readFileSync(path, "utf8")));
  });

  it("collapses the whitespace of html`` to single spaces, keeping the one before an inline element", async () => {
    const code = await minified("web/samtale-call/status-views.ts");
    expect(templates(code).join("")).not.toMatch(/\n|  /);
    expect(code).toContain("} <code>${code}</code>");
  });

  it("minifies css``", async () => {
    const source = readFileSync("web/samtale-call/styles.ts", "utf8");
    const code = await minified("web/samtale-call/styles.ts");
    expect(templates(code).join("")).not.toMatch(/\n/);
    expect(code.length).toBeLessThan(source.length * 0.8);
  });
});
