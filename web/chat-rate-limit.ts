/**
 * How many chat messages a peer may send us: a token bucket per peer
 * (5 a second, bursts of 10). Excess messages are dropped, so a peer cannot
 * flood the screen or the screen reader's announcements.
 */
export const CHAT_RATE_PER_SECOND = 5;
export const CHAT_BURST = 10;

export class ChatRateLimit {
  #tokens = CHAT_BURST;
  #at: number | null = null;

  /** Whether a message arriving at `now` (ms) may be shown; takes a token if so. */
  take(now: number): boolean {
    if (this.#at !== null) this.#tokens = Math.min(CHAT_BURST, this.#tokens + ((now - this.#at) / 1000) * CHAT_RATE_PER_SECOND);
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
