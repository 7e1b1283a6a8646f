/**
 * The call's life as a pure state machine, so every transition the element
 * makes is one the tests have seen. `ended`, `denied`, `removed` and `error` are final:
 * a consultation that is over never comes back in the same element.
 */

export type CallState =
  | "idle"
  | "checking"
  | "joining"
  | "lobby"
  | "connected"
  | "reconnecting"
  | "ended"
  | "denied"
  | "removed"
  | "error";

/** What can happen to a call; each names its cause, not its effect. */
export type CallEvent =
  /** The element is shown the device check. */
  | "check"
  /** The person asked to join (or the device check was skipped). */
  | "join"
  /** The server put us in the lobby. */
  | "lobby"
  /** The server admitted us (first time, or again after a reconnect). */
  | "welcome"
  /** The signaling connection dropped; we try to get back in. */
  | "connection-lost"
  /** The consultation ended (host, expiry, or we left). */
  | "ended"
  /** The host said no. */
  | "denied"
  /** The host took us out of the consultation. */
  | "removed"
  /** Something we cannot recover from. */
  | "failed";

const transitions: Record<CallState, Partial<Record<CallEvent, CallState>>> = {
  idle: { check: "checking", join: "joining", ended: "ended", failed: "error" },
  checking: { join: "joining", ended: "ended", failed: "error" },
  joining: { lobby: "lobby", welcome: "connected", "connection-lost": "reconnecting", ended: "ended", denied: "denied", removed: "removed", failed: "error" },
  lobby: { welcome: "connected", "connection-lost": "reconnecting", ended: "ended", denied: "denied", removed: "removed", failed: "error" },
  connected: { welcome: "connected", "connection-lost": "reconnecting", ended: "ended", removed: "removed", failed: "error" },
  reconnecting: { lobby: "lobby", welcome: "connected", "connection-lost": "reconnecting", ended: "ended", denied: "denied", removed: "removed", failed: "error" },
  ended: {},
  denied: {},
  removed: {},
  error: {},
};

/** The state after `event`, or `null` when the event makes no sense in `state`. */
export function nextState(state: CallState, event: CallEvent): CallState | null {
  return transitions[state][event] ?? null;
}

export function isFinal(state: CallState): boolean {
  return state === "ended" || state === "denied" || state === "removed" || state === "error";
}

/** The element's public methods, and the states in which each may be called. */
export type CallAction = "join" | "admit" | "deny" | "remove" | "invite" | "end" | "leave";

const allowedIn: Record<CallAction, readonly CallState[]> = {
  join: ["idle", "checking"],
  // Admitting needs the host's socket; while reconnecting it is not there.
  admit: ["connected"],
  deny: ["connected"],
  remove: ["connected"],
  // An invite is an HTTP request with the host's token: no socket needed.
  invite: ["connected", "reconnecting"],
  // Ending works without the socket too (DELETE), so a reconnecting host may end.
  end: ["connected", "reconnecting"],
  leave: ["checking", "joining", "lobby", "connected", "reconnecting"],
};

export function isAllowed(action: CallAction, state: CallState): boolean {
  return allowedIn[action].includes(state);
}
