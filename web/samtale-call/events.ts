/**
 * The events `<samtale-call>` fires, typed for partners' pages:
 * `call.addEventListener("samtale-knock", (e) => e.detail.participant)` needs no cast.
 * All bubble and cross the shadow boundary.
 */
import type { EndReason, Participant } from "../../worker/protocol.ts";
import type { CallErrorCode } from "../call-error.ts";
import type { CallState } from "../call-state.ts";
import type { CallParticipant } from "../roster.ts";

export interface SamtaleEventDetails {
  /** Whenever `state` changes. */
  "samtale-state": { state: CallState };
  /** Someone waits in the lobby (host only). */
  "samtale-knock": { participant: Participant };
  /** The lobby changed: everyone waiting now (host only). */
  "samtale-lobby": { knocking: Participant[] };
  /** The admitted people changed, or a group verification code arrived. */
  "samtale-participants": { participants: CallParticipant[] };
  /**
   * In a pair, the verification code once the media connection is up; `changed` is true when it
   * differs from the code shown for that person earlier in the consultation: read it aloud again.
   * In group mode only changes are told, with `participant`, whose code changed (that person's
   * entry in `participants` then carries `verificationChanged: true`).
   */
  "samtale-verification": { code: string; changed: boolean; participant?: string };
  /**
   * The server ended the consultation: `host-ended`, `expired` or `host-away`. Leaving with
   * `leave()` sets `state` to `ended` without this event.
   */
  "samtale-ended": { reason: EndReason };
  /**
   * A refusal or failure. The codes are the service's (`unauthorized`, `forbidden`,
   * `age_restricted`, `not_found`, `gone`, `code_used`, `full`, `invalid_request`, `too_large`,
   * `rate_limited`) plus `network`, `replaced`, `policy`, `unsupported`, and `verification_failed`
   * (a peer's certificate did not match its commitment: that connection is closed).
   */
  "samtale-error": { code: CallErrorCode; message: string };
}

export type SamtaleEventName = keyof SamtaleEventDetails;

export function samtaleEvent<K extends SamtaleEventName>(type: K, detail: SamtaleEventDetails[K]): CustomEvent<SamtaleEventDetails[K]> {
  return new CustomEvent(type, { detail, bubbles: true, composed: true });
}

declare global {
  interface GlobalEventHandlersEventMap {
    "samtale-state": CustomEvent<SamtaleEventDetails["samtale-state"]>;
    "samtale-knock": CustomEvent<SamtaleEventDetails["samtale-knock"]>;
    "samtale-lobby": CustomEvent<SamtaleEventDetails["samtale-lobby"]>;
    "samtale-participants": CustomEvent<SamtaleEventDetails["samtale-participants"]>;
    "samtale-verification": CustomEvent<SamtaleEventDetails["samtale-verification"]>;
    "samtale-ended": CustomEvent<SamtaleEventDetails["samtale-ended"]>;
    "samtale-error": CustomEvent<SamtaleEventDetails["samtale-error"]>;
  }
}
