import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTHeaderParameters,
  type JWTPayload,
  type JWTVerifyGetKey,
} from "jose";
import { ageOn } from "./age.ts";
import type { Config } from "./config.ts";
import { cleanName, NAME_MAX } from "./display-names.ts";
import { DEV_ISSUER, DEV_KEY_ID, devPublicKey } from "./dev-issuer.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { Identity } from "./identity.ts";
import { describeError, logError } from "./log.ts";

/** The contract's clock tolerance, and the longest a token may still live. */
const CLOCK_TOLERANCE_SECONDS = 60;
const MAX_LIFETIME_SECONDS = 3600;

// Remote key sets are cached per isolate: jose refetches on an unknown `kid`
// (rate-limited by its cooldown) and when its cache ages out.
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/**
 * Verifies the partner JWT in `Authorization: Bearer`. Keys come only from
 * `AUTH_JWKS` or `AUTH_JWKS_URL`, never from the token's own headers
 * (`jwk`, `jku`, `x5u` are ignored), and `alg` must be one the deployment
 * allows: that rules out `none` and HS256 signed with a public key.
 */
export async function authenticate(request: Request, env: Env, config: Config): Promise<Identity> {
  const token = bearerToken(request);
  if (!token) throw new ApiError("unauthorized", "A bearer token is required.");

  const payload = isDevToken(token, config)
    ? await verifyWith(token, await devPublicKey(), DEV_ISSUER, ["ES256"], config)
    : await verifyPartnerToken(token, env, config);

  return identityFrom(payload, config);
}

function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header && /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

function isDevToken(token: string, config: Config): boolean {
  if (!config.devAuth) return false;
  try {
    return decodeProtectedHeader(token).kid === DEV_KEY_ID;
  } catch {
    return false;
  }
}

async function verifyPartnerToken(token: string, env: Env, config: Config): Promise<JWTPayload> {
  if (!config.issuer) {
    throw new ApiError("unauthorized", "This deployment trusts no token issuer yet (AUTH_ISSUER is not set).");
  }
  return verifyWith(token, partnerKeys(env, config), config.issuer, config.algorithms, config);
}

function partnerKeys(env: Env, config: Config): JWTVerifyGetKey {
  if (env.AUTH_JWKS) {
    try {
      return createLocalJWKSet(JSON.parse(env.AUTH_JWKS));
    } catch {
      logError("auth.jwks_invalid", { message: "AUTH_JWKS is not a valid JWKS." });
      throw new ApiError("unauthorized", "The deployment's key set is not usable.");
    }
  }
  if (config.jwksUrl) {
    const url = config.jwksUrl.href;
    let keySet = remoteKeySets.get(url);
    if (!keySet) {
      keySet = reportingUnreachable(createRemoteJWKSet(config.jwksUrl));
      remoteKeySets.set(url, keySet);
    }
    return keySet;
  }
  throw new ApiError("unauthorized", "This deployment has no keys to verify tokens (AUTH_JWKS or AUTH_JWKS_URL).");
}

/**
 * A key set that cannot be fetched (timeout, network, not 200, not JSON)
 * says nothing about the token: that is `503 unavailable`, worth a retry,
 * not `401`, which tells a client to give up on a token that may be fine.
 */
function reportingUnreachable(keySet: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof joseErrors.JWKSNoMatchingKey || error instanceof joseErrors.JWKSMultipleMatchingKeys) throw error;
      logError("auth.jwks_unreachable", { error: describeError(error) });
      throw new ApiError("unavailable", "The keys that verify sign-ins cannot be fetched right now. Try again shortly.");
    }
  };
}

async function verifyWith(
  token: string,
  key: CryptoKey | JWTVerifyGetKey,
  issuer: string,
  algorithms: string[],
  config: Config,
): Promise<JWTPayload> {
  let payload: JWTPayload;
  let protectedHeader: JWTHeaderParameters;
  try {
    ({ payload, protectedHeader } = await jwtVerify(token, key as JWTVerifyGetKey, {
      issuer,
      audience: config.audience,
      algorithms,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      // Requires `iat` and refuses one in the future (beyond the tolerance);
      // a token issued over an hour ago could not be valid anyway (below).
      maxTokenAge: MAX_LIFETIME_SECONDS,
      requiredClaims: ["iss", "aud", "sub", "exp", "iat"],
    }));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError("unauthorized", describeJoseError(error));
  }
  if (protectedHeader.typ !== undefined && !isJwtType(protectedHeader.typ)) {
    throw new ApiError("unauthorized", "The token's `typ` header must be `JWT` or `at+jwt`.");
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = payload.exp as number;
  const livesTooLong =
    exp - now > MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS ||
    exp - (payload.iat as number) > MAX_LIFETIME_SECONDS + CLOCK_TOLERANCE_SECONDS;
  if (livesTooLong) throw new ApiError("unauthorized", "The token lives longer than one hour.");
  return payload;
}

/**
 * `typ` names a media type: case-insensitive, `application/` optional
 * (RFC 7515 4.1.9). A plain JWT or an OAuth access token (RFC 9068) is
 * fine; anything else (a logout token, a DPoP proof, a signed response)
 * was made for another purpose and must not open a call (RFC 8725 3.11).
 */
function isJwtType(typ: string): boolean {
  const mediaType = typ.toLowerCase().replace(/^application\//, "");
  return mediaType === "jwt" || mediaType === "at+jwt";
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return "The token has expired.";
  if (error instanceof joseErrors.JWTClaimValidationFailed && error.reason === "missing") return `The token has no \`${error.claim}\` claim.`;
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `The token's \`${error.claim}\` claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "The token's signing algorithm is not allowed.";
  if (error instanceof joseErrors.JWKSNoMatchingKey) return "The token was signed by an unknown key.";
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "The token's signature is not valid.";
  return "The token is not valid.";
}

function identityFrom(payload: JWTPayload, config: Config): Identity {
  const { sub, iss } = payload;
  if (typeof sub !== "string" || sub === "" || typeof iss !== "string") {
    throw new ApiError("unauthorized", "The token names no subject.");
  }
  if (payload.birthdate !== undefined) {
    const age = typeof payload.birthdate === "string" ? ageOn(payload.birthdate, new Date()) : null;
    if (age === null) throw new ApiError("unauthorized", "The token's `birthdate` is not a YYYY-MM-DD date.");
    if (age < config.minAge) {
      throw new ApiError("age_restricted", `Participants must be at least ${config.minAge} years old.`);
    }
  }
  const identity: Identity = { issuer: iss, subject: sub };
  const name = typeof payload.name === "string" ? cleanName(payload.name).slice(0, NAME_MAX).trim() : "";
  if (name) identity.name = name;
  if (payload.role === "practitioner" || payload.role === "client" || payload.role === "auditor") {
    identity.role = payload.role;
  }
  return identity;
}
