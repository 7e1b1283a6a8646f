/**
 * A partner's key pair for the worker tests, made fresh for each run in Node
 * (the vitest config) and handed to workerd as bindings: the public half as
 * `AUTH_JWKS`, the private half as `TEST_SIGNING_JWK` for the tests to sign.
 */
import { exportJWK, generateKeyPair, type JWK } from "jose";

export async function testKeys(): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid: "partner-1", alg: "ES256", use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid: "partner-1", alg: "ES256" };
  return { publicJwk, privateJwk };
}
