import { SignJWT, generateKeyPair, type CryptoKey } from "jose";
import { ApiError } from "./errors.ts";
import type { DevTokenRequest } from "./protocol.ts";

/**
 * The local demo issuer (`DEV_AUTH=1` only): it signs tokens with a key made
 * in this isolate, so its tokens are worthless anywhere else and after a
 * restart. Production never sets DEV_AUTH; the router answers 404 then.
 */
export const DEV_ISSUER = "samtale-dev";
export const DEV_KEY_ID = "samtale-dev-key";
const LIFETIME_SECONDS = 3600;

let keys: Promise<{ publicKey: CryptoKey; privateKey: CryptoKey }> | undefined;

function devKeys() {
  keys ??= generateKeyPair("ES256");
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
