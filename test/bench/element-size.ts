/**
 * The built `<samtale-call>` gzipped, against a bare Lit element bundled the
 * same way (what Lit alone costs). The element is one module that a page
 * imports and renders from; it loads the rest later from chunks/ beside it:
 * its call engine (signaling and WebRTC, fetched as it goes on the page and
 * needed from Join on) and, on a page in another language than English, that
 * language's translation. Needs `npm run build` first.
 */
import { build } from "esbuild";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUILT = "dist/web";

export interface ElementSize {
  /** The entry module, `samtale-call.js`, gzipped. */
  element: number;
  bareLit: number;
  /** The call engine module, gzipped. */
  engine: { file: string; bytes: number };
  /** The largest translation module, gzipped: what a page in that language loads on top. */
  largestTranslation: { file: string; bytes: number };
}

const gzipped = (path: string) => gzipSync(readFileSync(path)).byteLength;

export async function elementSize(): Promise<ElementSize> {
  const element = gzipped(`${BUILT}/samtale-call.js`);
  const later = readdirSync(`${BUILT}/chunks`)
    .filter((name) => name.endsWith(".js"))
    .map((name) => ({ file: `chunks/${name}`, bytes: gzipped(`${BUILT}/chunks/${name}`) }))
    .sort((a, b) => b.bytes - a.bytes);
  const engine = later.find(({ file }) => file.startsWith("chunks/call-engine-"));
  const largestTranslation = later.find(({ file }) => !file.startsWith("chunks/call-engine-"));
  if (!engine || !largestTranslation) throw new Error(`no call engine or translation among ${BUILT}/chunks: run npm run build`);
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
  return { element, bareLit: gzipSync(bare.outputFiles[0]!.contents).byteLength, engine, largestTranslation };
}
