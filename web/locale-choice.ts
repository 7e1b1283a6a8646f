/** The languages the element speaks; English is the source text. */
export const supportedLocales = ["en", "nb", "nn", "sv", "da"] as const;
export type Locale = (typeof supportedLocales)[number];

/**
 * The `lang` attribute when it names a language we speak, else the browser's
 * first one we speak, else English. Norwegian without a written form (`no`) reads Bokmål.
 */
export function chooseLocale(lang: string | null | undefined, browserLanguages: readonly string[]): Locale {
  for (const candidate of [lang, ...browserLanguages]) {
    const primary = candidate?.toLowerCase().split(/[-_]/)[0];
    if (primary === "no") return "nb";
    if (supportedLocales.includes(primary as Locale)) return primary as Locale;
  }
  return "en";
}
