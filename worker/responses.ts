import { ApiError } from "./errors.ts";
import { describeError, logError } from "./log.ts";

/** JSON answers with the contract's content type. */
export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set("content-type", "application/json");
  return response;
}

/**
 * The one place a thrown value becomes an HTTP answer. ApiErrors keep their
 * code and message; anything else is logged and answered as `internal`
 * without its stack.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof ApiError) return json(error.toBody(), error.status);
  logError("request.failed", { error: describeError(error) });
  return json({ error: "internal", message: "Something went wrong on our side." }, 500);
}

/**
 * Headers every response carries, pages and WebSocket refusals included.
 * Responses from fetch() or assets may be immutable, so this copies.
 */
export function withSecurityHeaders(response: Response): Response {
  // A 101 carries a WebSocket that a copy would lose; its headers are final.
  if (response.status === 101) return response;
  const secured = new Response(response.body, response);
  secured.headers.set("x-content-type-options", "nosniff");
  secured.headers.set("referrer-policy", "no-referrer");
  // Browsers heed it only over HTTPS, so local http runs are unaffected.
  secured.headers.set("strict-transport-security", `max-age=${ONE_YEAR_SECONDS}; includeSubDomains`);
  return secured;
}

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/**
 * API answers hold tickets, resume tokens, rosters and codes: no cache, in
 * the browser or on the way, may keep one.
 */
export function withNoStore(response: Response): Response {
  if (response.status === 101) return response;
  const answer = new Response(response.body, response);
  answer.headers.set("cache-control", "no-store");
  return answer;
}
