/**
 * The little of a browser page the end-to-end helpers need, so the same
 * helpers drive Chromium (a playwright-core `Page`, which has this shape
 * already) and Firefox (a puppeteer-core `Page`, adapted in `firefox.ts`).
 *
 * The functions handed over run inside the page: they take one
 * serialisable argument and use nothing from the test's scope. Their
 * argument is typed loosely (`any`) because playwright's own signatures
 * wrap it in types of their own that no shared interface can name.
 */
export interface BrowserPage {
  goto(url: string): Promise<unknown>;
  evaluate<R>(pageFunction: (arg: any) => R | Promise<R>, arg?: any): Promise<R>;
  waitForFunction(pageFunction: (arg: any) => unknown, arg?: any, options?: { timeout?: number; polling?: number }): Promise<unknown>;
  /** Runs `script` in every document the page loads from now on, before the page's own scripts. */
  addInitScript(script: (arg: any) => void, arg?: any): Promise<unknown>;
  screenshot(options: { path: string; fullPage?: boolean }): Promise<unknown>;
}
