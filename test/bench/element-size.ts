/**
 * The built `<samtale-call>` gzipped, against a bare Lit element bundled the
 * same way (what Lit alone costs). The element is one module that a page
 * imports; it loads its translation later, from chunks/ beside it, only on a
 * page in that language: the largest of those is what such a page loads in
 * addition. Needs `npm run build` first.
 */
import { build } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUILT = "dist/web";

export interface ElementSize {
  /** The entry module, `samtale-call.js`, gzipped. */
  element: number;
  bareLit: number;
  /** The largest module the element loads later (a translation), gzipped. */
  largestLater: { file: string; bytes: number } | null;
}

const gzipped = (path: string) => gzipSync(readFileSync(path)).byteLength;

export async function elementSize(): Promise<ElementSize> {
  const element = gzipped(`${BUILT}/samtale-call.js`);
  const later = readdirSync(`${BUILT}/chunks`)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ file: `chunks/${name}`, bytes: gzipped(`${BUILT}/chunks/${name}`) }))
    .sort((a, b) => b.bytes - a.bytes);
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
  return { element, bareLit: gzipSync(bare.outputFiles[0]!.contents).byteLength, largestLater: later[0] ?? null };
}
