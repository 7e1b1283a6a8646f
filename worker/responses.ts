import { ApiError } from "./errors.ts";

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
  console.error("unexpected error", error);
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
  return secured;
}
