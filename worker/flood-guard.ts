/**
 * Per-socket message limits: a token bucket of 50 messages a second with
 * bursts of up to 100, and a leaky bucket of refusals that closes a socket
 * once it holds 100.
 *
 * The rate bucket lives in memory: a flooding socket never lets the object
 * hibernate, and a fresh bucket after a wake-up only errs on the side of the
 * client. The refusals do not: a slow abuser (an oversized or malformed
 * frame now and then) lets the object hibernate between frames, and would
 * start from zero at every wake-up. So the refusal count is kept in the
 * socket's attachment (see `RefusalRecord`), written only when a refusal
 * happens, never on the hot path of a message that passes.
 */
export const MAX_FRAME_BYTES = 64 * 1024;
const RATE_PER_SECOND = 50;
const BURST = 100;
/** Refusals the bucket holds; the one that fills it closes the socket with 4008. */
const REFUSALS_BEFORE_CLOSE = 100;
/**
 * One refusal leaks out every 5 s (720 an hour). A socket refused more often
 * than that fills the bucket sooner or later: one a second is closed after
 * about two minutes, one every four seconds after about half an hour. An
 * honest client that overshoots the rate once (a few dozen refusals) is
 * forgiven within minutes, so such bursts never add up to a close.
 */
const REFUSAL_LEAK_MS = 5_000;

/** What a socket remembers of its refusals across hibernation: a level, as of a time. */
export interface RefusalRecord {
  level: number;
  at: number;
}

export class FloodGuard {
  private tokens = BURST;
  private updatedAt: number;
  private refusals: RefusalRecord;

  constructor(refusals: RefusalRecord | undefined, now = Date.now()) {
    this.updatedAt = now;
    this.refusals = refusals ?? { level: 0, at: now };
  }

  /** Takes one message's token; false when the socket is over its rate. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(BURST, this.tokens + ((now - this.updatedAt) / 1000) * RATE_PER_SECOND);
    this.updatedAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * Counts a refused message, after letting out what leaked since the last
   * one; true once the socket should be closed. The caller keeps `record`.
   */
  strike(now = Date.now()): boolean {
    const leaked = Math.max(0, now - this.refusals.at) / REFUSAL_LEAK_MS;
    this.refusals = { level: Math.max(0, this.refusals.level - leaked) + 1, at: now };
    return this.refusals.level >= REFUSALS_BEFORE_CLOSE;
  }

  /** The refusals to keep with the socket, for the next wake-up. */
  get record(): RefusalRecord {
    return this.refusals;
  }
}

/** Whether a frame is over 64 KiB of UTF-8, without encoding short ones. */
export function isOversized(message: string | ArrayBuffer): boolean {
  if (typeof message !== "string") return message.byteLength > MAX_FRAME_BYTES;
  // Each UTF-16 unit is at most 3 UTF-8 bytes: short frames need no count.
  if (message.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES;
}
