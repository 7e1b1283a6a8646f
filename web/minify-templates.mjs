// An esbuild plugin that minifies the CSS and HTML inside Lit's css`` and
// html`` (and svg``) templates, which esbuild's own minifier leaves as they
// are: the indentation and line breaks of every template would otherwise ship
// to every browser. The work is minify-literals' (Lightning CSS for css``,
// html-minifier-next for html``); this file only feeds it our sources.
import { minifyHTMLLiterals } from "minify-literals";
import { readFile } from "node:fs/promises";

/**
 * Whitespace in HTML is collapsed conservatively: a run of spaces and line
 * breaks becomes one space, never none, so the page renders exactly as
 * before (a space between two inline elements, or between a sentence and
 * its `<code>`, stays). Empty attributes stay too (`alt=""` says something).
 */
const html = {
  collapseWhitespace: true,
  conservativeCollapse: true,
  removeEmptyAttributes: false,
  minifyJS: false,
};

/** Templates are tagged `html`, `svg` or `css` in our sources; `str` (translations) is not touched. */
const templateTag = /\b(html|svg|css)`/;

export const minifyTemplates = {
  name: "minify-templates",
  setup(build) {
    build.onLoad({ filter: /\/web\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!templateTag.test(source)) return undefined;
      const minified = await minifyHTMLLiterals(source, { fileName: args.path, html, sourceMap: false });
      // minify-literals answers null both when nothing could shrink and when
      // it could not parse the file: neither should pass unnoticed.
      if (!minified) throw new Error(`minify-templates: no template in ${args.path} was minified; can its syntax be parsed?`);
      return { contents: minified.code, loader: "ts" };
    });
  },
};
