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
  devAuth: boolean;
}

const DEFAULT_STUN = "stun:stun.cloudflare.com:3478";

export function readConfig(env: Env): Config {
  const stunUrls = list(env.STUN_URLS ?? "");
  return {
    issuer: env.AUTH_ISSUER?.trim() || undefined,
    audience: env.AUTH_AUDIENCE?.trim() || "samtale",
    algorithms: list(env.AUTH_ALGORITHMS ?? "ES256,EdDSA,RS256"),
    allowedOrigins: list(env.ALLOWED_ORIGINS ?? "").map((origin) => origin.replace(/\/+$/, "")),
    // Anything but an explicit `none` pins to the EU: a typo must not move data.
    jurisdiction: env.DATA_JURISDICTION?.trim() === "none" ? "none" : "eu",
    minAge: wholeNumber(env.MIN_AGE, 16),
    chat: env.CHAT?.trim().toLowerCase() !== "off",
    // Always at least one STUN server: an empty setting means the default.
    stunUrls: stunUrls.length ? stunUrls : [DEFAULT_STUN],
    hostGraceSeconds: wholeNumber(env.HOST_GRACE_SECONDS, 120),
    devAuth: env.DEV_AUTH === "1",
  };
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
