import type { Config } from "./config.ts";
import { ApiError } from "./errors.ts";

/**
 * Which browser origins may use this deployment: its own, always, plus
 * `ALLOWED_ORIGINS`. One rule for the WebSocket, CORS, the element's module
 * and `frame-ancestors`.
 */
export function isAllowedOrigin(origin: string | null, request: Request, config: Config): origin is string {
  if (!origin) return false;
  return origin === new URL(request.url).origin || config.allowedOrigins.includes(origin);
}

/**
 * CORS for an allowed origin: the exact origin echoed (never `*`), and
 * `vary: origin` on every answer so caches keep origins apart.
 */
export function withCors(response: Response, request: Request, config: Config): Response {
  if (response.status === 101) return response;
  const origin = request.headers.get("origin");
  const answer = new Response(response.body, response);
  const vary = answer.headers.get("vary") ?? "";
  if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) answer.headers.append("vary", "origin");
  if (isAllowedOrigin(origin, request, config)) {
    answer.headers.set("access-control-allow-origin", origin);
  }
  return answer;
}

/** The answer to a CORS preflight: granted to allowed origins only. */
export function preflight(request: Request, config: Config): Response {
  const origin = request.headers.get("origin");
  if (!isAllowedOrigin(origin, request, config)) {
    throw new ApiError("forbidden", "This origin may not call the Samtale API.");
  }
  return new Response(null, {
    status: 204,
    headers: {
      vary: "origin",
      "access-control-allow-origin": origin,
      "access-control-allow-methods": "GET, POST, DELETE, OPTIONS",
      "access-control-allow-headers": "authorization, content-type",
      "access-control-max-age": "600",
    },
  });
}
