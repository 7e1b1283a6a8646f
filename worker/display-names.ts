/**
 * The one gate for a participant's name, wherever it enters (a token's
 * `name` claim, an invite's `name`), before anyone else is shown it.
 */

/** Names are cut to this many UTF-16 units, as the contract's limit. */
export const NAME_MAX = 100;

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
 * U+2066–U+2069). In a name they let one participant make text around it
 * read in another order ("Kari" + RLO … could pose as someone else, or
 * reverse the host's words in a roster line), so they are removed.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** The name as others will see it: bidi controls removed, trimmed; `""` if nothing is left. */
export function cleanName(raw: string): string {
  return raw.replace(BIDI_CONTROLS, "").trim();
}
