/**
 * Per-socket message limits: a token bucket of 50 messages a second with
 * bursts of up to 100, and a count of refusals. State lives in memory: a
 * flooding socket never lets the object hibernate, and a fresh bucket after
 * a wake-up only errs on the side of the client.
 */
export const MAX_FRAME_BYTES = 64 * 1024;
const RATE_PER_SECOND = 50;
const BURST = 100;
/** Refusals tolerated before the socket is closed with 4008. */
const STRIKES_BEFORE_CLOSE = 100;

export class FloodGuard {
  private tokens = BURST;
  private updatedAt: number;
  private strikes = 0;

  constructor(now = Date.now()) {
    this.updatedAt = now;
  }

  /** Takes one message's token; false when the socket is over its rate. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(BURST, this.tokens + ((now - this.updatedAt) / 1000) * RATE_PER_SECOND);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Counts a refused message; true once the socket should be closed. */
  strike(): boolean {
    this.strikes += 1;
    return this.strikes >= STRIKES_BEFORE_CLOSE;
  }
}

/** Whether a frame is over 64 KiB of UTF-8, without encoding short ones. */
export function isOversized(message: string | ArrayBuffer): boolean {
  if (typeof message !== "string") return message.byteLength > MAX_FRAME_BYTES;
  // Each UTF-16 unit is at most 3 UTF-8 bytes: short frames need no count.
  if (message.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES;
}
