/**
 * The keep-alive of the line to the service: a `ping` text frame every
 * interval, which the service answers with `pong` without waking the
 * consultation. A socket can go silent without ever closing (a NAT that
 * forgot it, a laptop lid, a proxy); when `MISSED_PONGS_FOR_DROP` pings in a
 * row get no answer, the line counts as dropped.
 */

/** Keep-alive below common proxy idle timeouts. */
export const PING_INTERVAL_MS = 20_000;
/** Unanswered pings in a row that make a silent socket a dropped one. */
export const MISSED_PONGS_FOR_DROP = 2;

export interface HeartbeatOptions {
  ping(): void;
  /** The socket went silent: drop it and get back in. */
  silent(): void;
  intervalMs?: number;
  /** Timers, for tests. */
  setInterval?: (callback: () => void, ms: number) => unknown;
  clearInterval?: (timer: unknown) => void;
}

export class Heartbeat {
  #timer: unknown = null;
  #unanswered = 0;
  readonly #options: HeartbeatOptions;

  constructor(options: HeartbeatOptions) {
    this.#options = options;
  }

  start(): void {
    this.stop();
    this.#unanswered = 0;
    const every = this.#options.setInterval ?? ((callback, ms) => setInterval(callback, ms));
    this.#timer = every(() => this.#tick(), this.#options.intervalMs ?? PING_INTERVAL_MS);
  }

  /** Any frame from the service (a `pong` or a message) proves the socket alive. */
  heard(): void {
    this.#unanswered = 0;
  }

  stop(): void {
    if (this.#timer === null) return;
    (this.#options.clearInterval ?? ((timer) => clearInterval(timer as ReturnType<typeof setInterval>)))(this.#timer);
    this.#timer = null;
  }

  #tick(): void {
    if (this.#unanswered >= MISSED_PONGS_FOR_DROP) {
      this.stop();
      this.#options.silent();
      return;
    }
    this.#unanswered++;
    this.#options.ping();
  }
}
