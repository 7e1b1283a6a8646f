/** The embeddable element: import this module once and use `<samtale-call>`. */
export { SamtaleCall } from "./samtale-call.ts";
export type { CallState } from "../call-state.ts";
export type { CallError, CallErrorCode } from "../call-error.ts";
export type { CallParticipant } from "../roster.ts";
