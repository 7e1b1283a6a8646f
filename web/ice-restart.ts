/**
 * When a peer connection restarts ICE. A dead relay or a network change
 * leaves the connection `failed` (Chromium leaves `iceConnectionState` at
 * `disconnected` then, so the connection state is the one to watch). Both
 * sides restarting at once can cross their offers and not recover, so one
 * side restarts: the impolite one at once, the polite one only if the
 * connection is still failed after a while (the other side's restart got
 * lost, or that side cannot).
 */

/** How long the polite side waits for the impolite side's restart before restarting itself. */
export const POLITE_RESTART_DELAY_MS = 5000;
/** How long either side waits before trying again while the connection stays failed (a relay still down). */
export const RETRY_RESTART_DELAY_MS = 10_000;

export interface IceRestartOptions {
  polite: boolean;
  restart(): void;
  /** Timers, for tests. */
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

export class IceRestart {
  #timer: unknown = null;
  readonly #options: IceRestartOptions;
  readonly #setTimer: (callback: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;

  constructor(options: IceRestartOptions) {
    this.#options = options;
    this.#setTimer = options.setTimer ?? ((callback, ms) => setTimeout(callback, ms));
    this.#clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as ReturnType<typeof setTimeout>));
  }

  connectionStateChanged(state: RTCPeerConnectionState): void {
    if (state !== "failed") {
      // Recovered (or closed): nothing left to do. `disconnected` often heals by itself.
      this.cancel();
      return;
    }
    if (this.#timer !== null) return;
    if (this.#options.polite) this.#schedule(POLITE_RESTART_DELAY_MS);
    else this.#restartNow();
  }

  cancel(): void {
    if (this.#timer !== null) this.#clearTimer(this.#timer);
    this.#timer = null;
  }

  #restartNow(): void {
    this.#options.restart();
    // A restart while the relay is still down fails again without a new state change.
    this.#schedule(RETRY_RESTART_DELAY_MS);
  }

  #schedule(ms: number): void {
    this.#timer = this.#setTimer(() => {
      this.#timer = null;
      this.#restartNow();
    }, ms);
  }
}
