/**
 * A knock must not be missed when the host's tab is hidden or minimised: the
 * cue repeats, gently, every 15 seconds while someone still waits and the tab
 * stays hidden, and stops as soon as the host comes back or nobody waits.
 * A system notification is shown only when the page already has permission
 * (the element never asks), and names nobody: lock screens are public.
 */

export const KNOCK_REPEAT_MS = 15_000;

export interface ReminderContext {
  /** The host's tab is not visible. */
  hidden(): boolean;
  /** Someone still waits to be let in. */
  anyoneWaiting(): boolean;
  /** Cue again (sound, notification). */
  remind(): void;
}

export class KnockReminder {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly context: ReminderContext) {}

  /** Someone knocked (the first cue already played): keep reminding while the tab is hidden. */
  knocked(): void {
    if (this.context.hidden()) this.#schedule();
  }

  /** The host came back, or the call is over. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.context.hidden() || !this.context.anyoneWaiting()) return;
      this.context.remind();
      this.#schedule();
    }, KNOCK_REPEAT_MS);
  }
}

/** A system notification, only when the page already may show one, and only while the tab is hidden. */
export function notifyIfAllowed(text: string): void {
  if (typeof Notification !== "function" || Notification.permission !== "granted" || document.visibilityState !== "hidden") return;
  // One tag: a repeated reminder replaces the last one instead of piling up.
  new Notification(text, { tag: "samtale-knock" });
}
