// Builds web/ into dist/web, which the worker serves as static assets.
import { build } from "esbuild";
import { cp, mkdir, rm } from "node:fs/promises";

const out = new URL("../dist/web/", import.meta.url);
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await cp(new URL("./pages/", import.meta.url), out, { recursive: true });
