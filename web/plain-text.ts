/**
 * Text another person chose (a chat line, a display name) as the element
 * shows it. Bidirectional control characters (U+202A–U+202E embeddings and
 * overrides, U+2066–U+2069 isolates) are removed: they let a sender make a
 * line read differently from what it says ("…exe.pdf" shown as "…fdp.exe"),
 * and plain conversation never needs them.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function withoutBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, "");
}
