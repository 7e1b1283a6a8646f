/**
 * Sounds made on the spot with WebAudio: no sound files, nothing fetched.
 * Browsers allow them once the page has had a gesture or holds the
 * microphone, which a call always does.
 */

let context: AudioContext | null = null;

/** The page's one AudioContext, for these sounds and the microphone meter (browsers limit how many a page has). */
export function audio(): AudioContext {
  context ??= new AudioContext();
  if (context.state === "suspended") void context.resume();
  return context;
}

/** A soft tone: `frequency` Hz, starting `at` seconds from now, `duration` long. */
function tone(ctx: AudioContext, frequency: number, at: number, duration: number, volume = 0.2): void {
  const oscillator = ctx.createOscillator();
  const gain = ctx.createGain();
  oscillator.type = "sine";
  oscillator.frequency.value = frequency;
  const start = ctx.currentTime + at;
  // Ramps, not steps: a hard edge clicks.
  gain.gain.setValueAtTime(0, start);
  gain.gain.linearRampToValueAtTime(volume, start + 0.02);
  gain.gain.exponentialRampToValueAtTime(0.0001, start + duration);
  oscillator.connect(gain).connect(ctx.destination);
  oscillator.start(start);
  oscillator.stop(start + duration + 0.05);
}

/** Two rising notes: someone is waiting in the lobby. */
export function playKnockCue(): void {
  try {
    const ctx = audio();
    tone(ctx, 660, 0, 0.25);
    tone(ctx, 880, 0.22, 0.35);
  } catch {
    // No audio output: the visible cue and the live region still tell.
  }
}

/** A short three-note chime to check the speaker, on the chosen output when the browser allows it. */
export async function playTestSound(speakerId: string): Promise<void> {
  const ctx = audio();
  const withSink = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId && withSink.setSinkId) await withSink.setSinkId(speakerId).catch(() => undefined);
  tone(ctx, 523, 0, 0.4);
  tone(ctx, 659, 0.35, 0.4);
  tone(ctx, 784, 0.7, 0.6);
}
