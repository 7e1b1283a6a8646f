import type { Env } from "./env.ts";

/**
 * The deployment's settings, read once per request from the bindings, with
 * the contract's defaults. Reading is cheap; caching would only hide a
 * changed variable after a deploy.
 */
export interface Config {
  issuer: string | undefined;
  audience: string;
  algorithms: string[];
  allowedOrigins: string[];
  jurisdiction: "eu" | "none";
  minAge: number;
  chat: boolean;
  stunUrls: string[];
  hostGraceSeconds: number;
  /** `RELAY_ONLY=on`: every consultation is relay-only, whatever it asked for. */
  relayOnly: boolean;
  /** Whether the deployment has a TURN relay (self-hosted or Cloudflare's). */
  hasTurn: boolean;
  /** How long an admitted participant whose connection dropped is `away` before `peer-left`. */
  peerGraceSeconds: number;
  devAuth: boolean;
  /** `AUTH_JWKS_URL`, when it is an https: URL (see `misconfigurations`). */
  jwksUrl: URL | undefined;
}

const DEFAULT_STUN = "stun:stun.cloudflare.com:3478";

export function readConfig(env: Env): Config {
  const stunUrls = list(env.STUN_URLS ?? "");
  return {
    issuer: env.AUTH_ISSUER?.trim() || undefined,
    audience: env.AUTH_AUDIENCE?.trim() || "samtale",
    algorithms: list(env.AUTH_ALGORITHMS ?? "ES256,EdDSA,RS256"),
    // Only exact origins: anything else is a misconfiguration the router
    // refuses to run with, and is never copied into a header even so.
    allowedOrigins: list(env.ALLOWED_ORIGINS ?? "").flatMap((entry) => exactOrigin(entry) ?? []),
    // Anything but an explicit `none` pins to the EU: a typo must not move data.
    jurisdiction: env.DATA_JURISDICTION?.trim() === "none" ? "none" : "eu",
    minAge: wholeNumber(env.MIN_AGE, 16),
    chat: env.CHAT?.trim().toLowerCase() !== "off",
    // Always at least one STUN server: an empty setting means the default.
    stunUrls: stunUrls.length ? stunUrls : [DEFAULT_STUN],
    hostGraceSeconds: wholeNumber(env.HOST_GRACE_SECONDS, 120),
    relayOnly: relayOnlySetting(env) === "on",
    hasTurn: hasTurn(env),
    peerGraceSeconds: wholeNumber(env.PEER_GRACE_SECONDS, 30),
    devAuth: env.DEV_AUTH === "1",
    jwksUrl: httpsUrl(env.AUTH_JWKS_URL),
  };
}

/**
 * What makes this deployment unsafe to run, one sentence per problem. The
 * router answers every request `500` with these (and logs them) rather than
 * run half-configured: a wildcard origin or an http: key set would silently
 * weaken what Samtale promises.
 */
export function misconfigurations(env: Env): string[] {
  const problems: string[] = [];
  for (const entry of list(env.ALLOWED_ORIGINS ?? "")) {
    if (exactOrigin(entry) === undefined) {
      problems.push(
        `ALLOWED_ORIGINS entry ${JSON.stringify(entry)} is not an exact origin: write each as scheme://host[:port], comma-separated, with no path, wildcard or ';'.`,
      );
    }
  }
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  if (jwksUrl && !httpsUrl(jwksUrl)) {
    problems.push("AUTH_JWKS_URL must be an https: URL: keys fetched over plain http could be swapped on the way.");
  }
  const relayOnly = relayOnlySetting(env);
  if (relayOnly !== "on" && relayOnly !== "off") {
    // A typo must neither leak addresses nor be guessed at: say so.
    problems.push(`RELAY_ONLY must be \`on\` or \`off\`, not ${JSON.stringify(env.RELAY_ONLY)}.`);
  } else if (relayOnly === "on" && !hasTurn(env)) {
    problems.push(
      "RELAY_ONLY=on needs a TURN relay: set TURN_URLS and TURN_SECRET, or TURN_KEY_ID and TURN_KEY_API_TOKEN. Without one no call could connect.",
    );
  }
  return problems;
}

/** `RELAY_ONLY` as written, trimmed and lower-cased; unset or empty is `off`. */
function relayOnlySetting(env: Env): string {
  return env.RELAY_ONLY?.trim().toLowerCase() || "off";
}

function hasTurn(env: Env): boolean {
  return Boolean((env.TURN_URLS?.trim() && env.TURN_SECRET) || (env.TURN_KEY_ID?.trim() && env.TURN_KEY_API_TOKEN));
}

/**
 * The origin an `ALLOWED_ORIGINS` entry names, if it names exactly one: an
 * http(s) URL with nothing but scheme, host and port, written as browsers
 * send it in `Origin` (lower case, no default port). One trailing slash is
 * tolerated, since `https://a.example/` cannot mean anything else.
 */
function exactOrigin(entry: string): string | undefined {
  if (!/^https?:\/\/[a-z0-9.\-[\]:]+\/?$/.test(entry)) return undefined;
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    return undefined;
  }
  return entry.replace(/\/$/, "") === url.origin ? url.origin : undefined;
}

function httpsUrl(value: string | undefined): URL | undefined {
  if (!value?.trim()) return undefined;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}

function list(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function wholeNumber(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return value !== undefined && value.trim() !== "" && Number.isInteger(parsed) && parsed >= 0 ? parsed : fallback;
}
