/**
 * Who is speaking, from the received audio level (0..1, as the receiver's
 * synchronization sources report it). Two thresholds keep the indicator from
 * flickering at the edge of a word: it lights above one and goes out only
 * below a lower one.
 */

const START_LEVEL = 0.04;
const STOP_LEVEL = 0.015;

/** How often the levels are read; cheap (no getStats), and the tile re-renders only on a change. */
export const SPEAKING_INTERVAL_MS = 300;

export function isSpeaking(wasSpeaking: boolean, level: number): boolean {
  return wasSpeaking ? level >= STOP_LEVEL : level >= START_LEVEL;
}
