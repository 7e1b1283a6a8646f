/**
 * @lit/localize in runtime mode. The translations are bundled into the one
 * module (no later fetches: the element must work cross-origin and under a
 * strict CSP), so switching language is immediate.
 */
import { configureLocalization } from "@lit/localize";
import type { Locale } from "./locale-choice.ts";
import * as da from "./locales/da.ts";
import * as nb from "./locales/nb.ts";
import * as nn from "./locales/nn.ts";
import * as sv from "./locales/sv.ts";

const bundled = { nb, nn, sv, da };

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: "en",
  targetLocales: Object.keys(bundled),
  loadLocale: async (locale) => bundled[locale as keyof typeof bundled],
});

/** The whole page shares one active locale (a limit of @lit/localize). */
export function useLocale(locale: Locale): Promise<void> {
  return setLocale(locale);
}

/** The language the text is in now, for `lang` so screen readers pick the right voice. */
export function activeLocale(): Locale {
  return getLocale() as Locale;
}
