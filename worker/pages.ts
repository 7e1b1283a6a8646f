import type { Config } from "./config.ts";
import type { Env } from "./env.ts";
import { withCors } from "./origins.ts";

/**
 * The static side: the demo pages (`/`, `/join`) and the element's module
 * (`/samtale-call.js`), served from the build's assets. Every asset answers
 * CORS for allowed origins, so a partner page can import the element and
 * whatever it loads later; HTML pages carry a CSP that allows only what
 * they use and lets only allowed origins frame them.
 */
export async function serveAsset(request: Request, env: Env, config: Config): Promise<Response> {
  const response = await env.ASSETS.fetch(request);
  const answer = withCors(response, request, config);
  if (answer.headers.get("content-type")?.startsWith("text/html")) {
    answer.headers.set("content-security-policy", contentSecurityPolicy(config));
  }
  return answer;
}

export function contentSecurityPolicy(config: Config): string {
  const ancestors = ["'self'", ...config.allowedOrigins].join(" ");
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${ancestors}`,
  ].join("; ");
}
