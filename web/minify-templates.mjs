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
 * Closing slashes stay: an svg`` fragment (`<rect …/><path …/>`) has no
 * `<svg>` around it in its template, so without them the path would end up
 * inside the rect and not be drawn.
 */
const html = {
  collapseWhitespace: true,
  conservativeCollapse: true,
  keepClosingSlash: true,
  removeEmptyAttributes: false,
  minifyJS: false,
};

/** Templates are tagged `html`, `svg` or `css` in our sources; `str` (translations) is not touched. */
const templateTag = /\b(html|svg|css)`/;
/** A template with a line break or a run of spaces in it: there is something to collapse. */
const loosePrintedTemplate = /\b(html|svg|css)`[^`]*(\n|  )/;

export const minifyTemplates = {
  name: "minify-templates",
  setup(build) {
    build.onLoad({ filter: /\/web\/.*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!templateTag.test(source)) return undefined;
      const minified = await minifyHTMLLiterals(source, { fileName: args.path, html, sourceMap: false });
      if (minified) return { contents: minified.code, loader: "ts" };
      // minify-literals answers null both when its templates are already tight
      // and when it could not parse the file; the second must not pass unnoticed.
      if (loosePrintedTemplate.test(source)) throw new Error(`minify-templates: ${args.path} has templates to minify, but none was: can minify-literals parse its syntax?`);
      return undefined;
    });
  },
};
