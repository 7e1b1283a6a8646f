import { SignJWT, importJWK, type CryptoKey } from "jose";
import { ApiError } from "./errors.ts";
import type { DevTokenRequest } from "./protocol.ts";

/**
 * The local demo issuer (`DEV_AUTH=1` only). Production never sets DEV_AUTH;
 * the router answers 404 then, and no token it signed is trusted.
 */
export const DEV_ISSUER = "samtale-dev";
export const DEV_KEY_ID = "samtale-dev-key";
const LIFETIME_SECONDS = 3600;

/**
 * The issuer's key, public on purpose: with DEV_AUTH=1 anyone may ask
 * `POST /dev/token` for any token, so a secret key would protect nothing.
 * It is fixed rather than made at start so that tokens outlive a restart of
 * the local runtime, as a partner's tokens outlive a restart of Samtale (a
 * host reconnecting after one presents the same token again).
 */
const DEV_PRIVATE_JWK = {
  kty: "EC",
  crv: "P-256",
  x: "kLx0XL-_keLf_niOZyKzxzdGiwf35kobxPz9dj53kIE",
  y: "EZ6pmruQQnicYhOui-E3_H7LzSJBrcFvfyxRccmLesc",
  d: "ct8dMOWHiyYGgiwT1B2dun0rVcFZoWOh_2kqV7zemBc",
};

let keys: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | undefined;

function devKeys() {
  keys ??= (async () => {
    const { kty, crv, x, y } = DEV_PRIVATE_JWK;
    const publicKey = (await importJWK({ kty, crv, x, y }, "ES256")) as CryptoKey;
    const privateKey = (await importJWK(DEV_PRIVATE_JWK, "ES256")) as CryptoKey;
    return { publicKey, privateKey };
  })();
  return keys;
}

export async function devPublicKey(): Promise<CryptoKey> {
  return (await devKeys()).publicKey;
}

export async function mintDevToken(request: DevTokenRequest, audience: string): Promise<string> {
  const { privateKey } = await devKeys();
  const claims: Record<string, string> = {};
  if (request.name) claims.name = request.name;
  if (request.role) claims.role = request.role;
  if (request.birthdate) claims.birthdate = request.birthdate;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "ES256", kid: DEV_KEY_ID })
    .setIssuer(DEV_ISSUER)
    .setAudience(audience)
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(`${LIFETIME_SECONDS}s`)
    .sign(privateKey);
}

/** Validates the body of `POST /dev/token` (readJsonBody has made sure it is an object). */
export function parseDevTokenRequest(body: Record<string, unknown>): DevTokenRequest {
  const { sub, name, role, birthdate } = body;
  if (typeof sub !== "string" || sub.length === 0 || sub.length > 256) {
    throw new ApiError("invalid_request", "`sub` must be a non-empty string of at most 256 characters.");
  }
  if (name !== undefined && (typeof name !== "string" || name.length > 100)) {
    throw new ApiError("invalid_request", "`name` must be a string of at most 100 characters.");
  }
  // `auditor` lets the demo page show what the audit kept; this issuer only
  // exists when DEV_AUTH=1.
  if (role !== undefined && role !== "practitioner" && role !== "client" && role !== "auditor") {
    throw new ApiError("invalid_request", "`role` must be `practitioner`, `client` or `auditor`.");
  }
  if (birthdate !== undefined && (typeof birthdate !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(birthdate))) {
    throw new ApiError("invalid_request", "`birthdate` must be YYYY-MM-DD.");
  }
  return { sub, name, role, birthdate } as DevTokenRequest;
}
