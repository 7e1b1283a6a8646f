/**
 * @lit/localize in runtime mode. English is the source text and costs
 * nothing; each other language is a module of its own that the build puts
 * beside the element (chunks/), fetched only by a page that shows it. The
 * fetch is relative to the element's own URL, so it works cross-origin (the
 * service answers CORS on every asset) and under `script-src 'self'`.
 */
import { configureLocalization } from "@lit/localize";
import type { Locale } from "./locale-choice.ts";

/** A static `import()` per language, so the build sees, and builds, each one. */
const translations = {
  nb: () => import("./locales/nb.ts"),
  nn: () => import("./locales/nn.ts"),
  sv: () => import("./locales/sv.ts"),
  da: () => import("./locales/da.ts"),
};

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: "en",
  targetLocales: Object.keys(translations),
  loadLocale: (locale) => translations[locale as keyof typeof translations](),
});

/**
 * Switch the page to a language; resolves once its text is loaded. The whole
 * page shares one active locale (a limit of @lit/localize). A translation that
 * cannot be loaded leaves the text as it was (English at first), with a warning.
 */
export function useLocale(locale: Locale): Promise<void> {
  return setLocale(locale).catch((error: unknown) => console.warn(`Samtale: the ${locale} translation could not be loaded, so the text stays in ${getLocale()}.`, error));
}

/** The language the text is in now, for `lang` so screen readers pick the right voice. */
export function activeLocale(): Locale {
  return getLocale() as Locale;
}
