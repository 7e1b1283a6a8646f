import type { ErrorCode } from "../worker/protocol.ts";

/**
 * Codes the element reports besides the server's: a method called in the
 * wrong state, a connection that could not be brought back, a newer tab that
 * took over, a socket the server closed for flooding, no camera/microphone,
 * a peer whose certificate did not match its commitment (that one connection
 * is closed; the call goes on).
 */
export type LocalErrorCode = "invalid_state" | "network" | "replaced" | "policy" | "unsupported" | "verification_failed";

export type CallErrorCode = ErrorCode | LocalErrorCode;

/**
 * The mark every CallError carries, whichever copy of this module made it:
 * the call engine (call-engine.ts) is a module of its own with its own copy
 * of this class, so `instanceof` looks for the mark rather than the class.
 */
const CALL_ERROR = Symbol.for("samtale.CallError");

/** An error with a stable `code` that partners may branch on and support may quote. */
export class CallError extends Error {
  override name = "CallError";
  readonly [CALL_ERROR] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && CALL_ERROR in value;
  }

  constructor(
    readonly code: CallErrorCode,
    message: string,
  ) {
    super(message);
  }
}
