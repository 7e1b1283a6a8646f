// Builds web/ into dist/web, which the worker serves as static assets:
// the element as one self-contained ES module, the demo pages' scripts, and
// the pages' HTML and CSS (no inline scripts or styles: the pages run under
// `script-src 'self'; style-src 'self'`).
import { build } from "esbuild";
import { cp, mkdir, readFile, rename, rm } from "node:fs/promises";
import { gzipSync } from "node:zlib";

// Built beside the served folder and swapped in at the end: a running
// `wrangler dev` (which rebuilds on changes) never serves a half-built folder.
const served = new URL("../dist/web/", import.meta.url);
const out = new URL("../dist/web.next/", import.meta.url);
const outdir = new URL(out).pathname;
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// UTF-8 as is (module scripts are always read as UTF-8): the translations stay short.
const common = { bundle: true, format: "esm", target: "es2022", minify: true, charset: "utf8", legalComments: "none", logLevel: "warning" };

// One module with Lit and the translations inside: a partner page imports it
// cross-origin, and nothing is fetched later.
await build({ ...common, entryPoints: { "samtale-call": "web/samtale-call/index.ts" }, outdir });

// The demo pages' own scripts. The pages load the element from
// /samtale-call.js, as a partner would, rather than bundling a second copy.
await build({ ...common, entryPoints: { demo: "web/pages/demo.ts", join: "web/pages/join.ts" }, outdir });

await cp(new URL("./pages/", import.meta.url), out, {
  recursive: true,
  filter: (source) => !source.endsWith(".ts"),
});

const previous = new URL("../dist/web.previous/", import.meta.url);
await rm(previous, { recursive: true, force: true });
await rename(served, previous).catch(() => undefined); // none yet on a fresh clone
await rename(out, served);
await rm(previous, { recursive: true, force: true });

const element = await readFile(new URL("samtale-call.js", served));
console.log(`samtale-call.js: ${(element.length / 1024).toFixed(1)} kB, ${(gzipSync(element).length / 1024).toFixed(1)} kB gzipped`);
