import type { Config } from "./config.ts";
import type { Env } from "./env.ts";
import { withCors } from "./origins.ts";

/**
 * The static side: the demo pages (`/`, `/join`) and the element's module
 * (`/samtale-call.js`), served from the build's assets. Every asset answers
 * CORS for allowed origins, so a partner page can import the element and
 * whatever it loads later; HTML pages carry a CSP that allows only what
 * they use and lets only allowed origins frame them, and a Permissions
 * Policy that keeps camera, microphone and screen capture to this origin
 * and the allowed ones.
 */
export async function serveAsset(request: Request, env: Env, config: Config): Promise<Response> {
  const response = await env.ASSETS.fetch(request);
  const answer = withCors(response, request, config);
  if (answer.headers.get("content-type")?.startsWith("text/html")) {
    answer.headers.set("content-security-policy", contentSecurityPolicy(config));
    answer.headers.set("permissions-policy", permissionsPolicy(config));
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

/** What a call needs: only this origin and the allowed ones may ask for it. */
const CALL_FEATURES = ["camera", "microphone", "display-capture"];

/**
 * Powerful features a consultation never uses: off for the page and every
 * frame in it, so an injected script or a framed third party gets nothing.
 * Only names Chromium knows, since it reports unknown ones as errors.
 */
const UNUSED_FEATURES = ["accelerometer", "geolocation", "gyroscope", "hid", "magnetometer", "midi", "payment", "serial", "usb"];

export function permissionsPolicy(config: Config): string {
  // Origins in a Permissions Policy are quoted; allowedOrigins holds only
  // exact origins (config.ts), so nothing else can reach this header.
  const allowlist = ["self", ...config.allowedOrigins.map((origin) => `"${origin}"`)].join(" ");
  return [
    ...CALL_FEATURES.map((feature) => `${feature}=(${allowlist})`),
    ...UNUSED_FEATURES.map((feature) => `${feature}=()`),
  ].join(", ");
}
