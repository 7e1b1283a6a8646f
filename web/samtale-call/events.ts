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
  "samtale-state": { state: CallState };
  "samtale-knock": { participant: Participant };
  "samtale-lobby": { knocking: Participant[] };
  "samtale-participants": { participants: CallParticipant[] };
  /**
   * `changed`: the code differs from the one shown for that person before; read it aloud again.
   * `participant`: in group mode, whose code changed (a group tells only changes; its codes are in `participants`).
   */
  "samtale-verification": { code: string; changed: boolean; participant?: string };
  "samtale-ended": { reason: EndReason };
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
