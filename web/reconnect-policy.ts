/**
 * When and how long the element tries to get back into a consultation after
 * its socket dropped for a reason other than the contract's close codes.
 * One policy, so the waits and the limit cannot drift apart.
 */
import type { CallErrorCode } from "./call-error.ts";

/** About two minutes of trying in all, matching the host's default grace period. */
export const MAX_RECONNECT_ATTEMPTS = 14;

/** Waits between reconnection attempts: 1, 2, 4, 8 s, then every 10 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1000 * 2 ** attempt, 10_000);
}

/** The wait before attempt number `attempt` (from 0), or `null` once it is time to give up. */
export function delayBeforeAttempt(attempt: number): number | null {
  return attempt < MAX_RECONNECT_ATTEMPTS ? reconnectDelayMs(attempt) : null;
}

/**
 * Whether a failed way back in is worth another try: the network, a busy
 * service, its hiccup or a service it depends on being out of reach
 * (`unavailable`, 503) may pass; a refusal (ended, denied, unauthorized) will not.
 */
export function isWorthRetrying(code: CallErrorCode): boolean {
  return code === "network" || code === "rate_limited" || code === "internal" || code === "unavailable";
}
