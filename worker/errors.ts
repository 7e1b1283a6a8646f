import type { ErrorBody, ErrorCode } from "./protocol.ts";

/** The HTTP status of each error code: the contract's table, in one place. */
export const STATUS: Record<ErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  age_restricted: 403,
  not_found: 404,
  gone: 410,
  code_used: 409,
  full: 409,
  invalid_request: 400,
  too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  already_invited: 409,
};

/**
 * An error a client may see: a stable `code` and a human message. Anything
 * else thrown is a bug and reaches the client only as `internal`, never with
 * its stack.
 */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, status = STATUS[code]) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
  }

  toBody(): ErrorBody {
    return { error: this.code, message: this.message };
  }
}

/**
 * How the Durable Object answers its RPC methods: errors cross the RPC
 * boundary as plain data, since thrown errors lose their class on the way.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const fail = <T = never>(code: ErrorCode, message: string): Outcome<T> => ({
  ok: false,
  error: { error: code, message },
});

/** Unwraps a Durable Object's answer, throwing its error as an ApiError. */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new ApiError(outcome.error.error, outcome.error.message);
}
