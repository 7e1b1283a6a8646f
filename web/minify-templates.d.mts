import type { Plugin } from "esbuild";

/** Minifies the CSS and HTML inside Lit's css``, html`` and svg`` templates of web/ sources. */
export declare const minifyTemplates: Plugin;
