/**
 * The built `<samtale-call>` module gzipped, against a bare Lit element
 * bundled the same way (what Lit alone costs). Needs `npm run build` first.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

export async function elementSize(): Promise<{ element: number; bareLit: number }> {
  const element = gzipSync(readFileSync("dist/web/samtale-call.js")).byteLength;
  const bare = await build({
    stdin: {
      contents: `import { LitElement, html } from "lit";
        class Bare extends LitElement { render() { return html\`<p>bare</p>\`; } }
        customElements.define("bare-element", Bare);`,
      resolveDir: process.cwd(),
    },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    write: false,
  });
  return { element, bareLit: gzipSync(bare.outputFiles[0]!.contents).byteLength };
}
