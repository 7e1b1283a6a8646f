// Builds web/ into dist/web, which the worker serves as static assets:
// the element as one self-contained ES module with the modules it loads
// later beside it in chunks/ (its call engine, its translations), the demo
// pages' scripts, and the pages' HTML and CSS (no inline scripts or styles:
// the pages run under `script-src 'self'; style-src 'self'`).
import { build } from "esbuild";
import { cp, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import { minifyTemplates } from "./minify-templates.mjs";

// Built beside the served folder and swapped in at the end: a running
// `wrangler dev` (which rebuilds on changes) never serves a half-built folder.
const served = new URL("../dist/web/", import.meta.url);
const out = new URL("../dist/web.next/", import.meta.url);
const outdir = new URL(out).pathname;
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

// UTF-8 as is (module scripts are always read as UTF-8): the translations stay short.
const common = { bundle: true, format: "esm", target: "es2022", minify: true, charset: "utf8", legalComments: "none", logLevel: "warning" };

// Modules the element loads later, each on its own: every translation,
// loaded only by a page that shows that language (web/localization.ts), and
// the call engine, which only a call needs (web/call-engine.ts).
// Content-hashed names: a new build never meets an old file in a cache, and
// the files may be cached for good.
const localesDir = resolve("web/locales");
const localeFiles = (await readdir(localesDir)).filter((name) => name.endsWith(".ts")).map((name) => resolve(localesDir, name));
const laterFiles = [...localeFiles, resolve("web/call-engine.ts")];
const later = await build({ ...common, entryPoints: laterFiles, outdir, entryNames: "chunks/[name]-[hash]", metafile: true });
const builtLater = new Map(
  Object.entries(later.metafile.outputs)
    .filter(([, output]) => output.entryPoint)
    .map(([file, output]) => [resolve(output.entryPoint), `./${relative(outdir, resolve(file))}`]),
);

// The element's `import("./locales/nb.ts")` becomes `import("./chunks/nb-<hash>.js")`
// (and so on for each later module), resolved by the browser beside the
// element's own URL, so it works cross-origin.
// Two builds rather than esbuild's `splitting`: splitting would move what the
// element and a later module share (Lit's localize runtime, the CallError
// class) into a third chunk the element imports at once, so the element would
// no longer be one module standing alone. Each later module carries its own
// copy of what it shares (a translation about 0.4 kB of @lit/localize before
// gzip; the engine CallError, which is why CallError is told by a mark).
const asLaterModules = {
  name: "as-later-modules",
  setup(element) {
    element.onResolve({ filter: /\.ts$/ }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      const path = builtLater.get(resolve(args.resolveDir, args.path));
      if (!path) throw new Error(`${args.path} is imported later but not built as a later module`);
      return { path, external: true };
    });
  },
};

// One module with Lit inside: a partner page imports it cross-origin, and it
// fetches its call engine and the translation it needs from beside itself.
await build({ ...common, entryPoints: { "samtale-call": "web/samtale-call/index.ts" }, outdir, plugins: [asLaterModules, minifyTemplates] });

// The demo pages' own scripts. The pages load the element from
// /samtale-call.js, as a partner would, rather than bundling a second copy.
await build({ ...common, entryPoints: { demo: "web/pages/demo.ts", join: "web/pages/join.ts" }, outdir });

await cp(new URL("./pages/", import.meta.url), out, {
  recursive: true,
  filter: (source) => !source.endsWith(".ts"),
});

// kB of 1000 bytes, as the benchmark's budget counts them.
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const report = async (file) => {
  const contents = await readFile(new URL(file, out));
  console.log(`${file}: ${kB(contents.length)}, ${kB(gzipSync(contents).length)} gzipped`);
};
await report("samtale-call.js");
for (const module of builtLater.values()) await report(module.slice(2));

const previous = new URL("../dist/web.previous/", import.meta.url);
await rm(previous, { recursive: true, force: true });
await rename(served, previous).catch(() => undefined); // none yet on a fresh clone
await rename(out, served);
await rm(previous, { recursive: true, force: true });
