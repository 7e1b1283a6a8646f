/**
 * Partner-token authentication: every way a token can be wrong is `401
 * unauthorized`, a client may not host, and `birthdate` under MIN_AGE is
 * `403 age_restricted` for anyone, hosts included.
 */
import { env } from "cloudflare:workers";
import { generateKeyPair, importJWK, SignJWT, type JWTPayload } from "jose";
import { describe, expect, it } from "vitest";
import { api, bearer, createConsultation, errorCode, ISSUER, join, partnerToken, postJson } from "./helpers.ts";

const now = () => Math.floor(Date.now() / 1000);
const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** Claims of a token the worker would accept, for tests that break one of them. */
function validClaims(extra: JWTPayload = {}): JWTPayload {
  return { iss: ISSUER, aud: "samtale", sub: `practitioner-${crypto.randomUUID()}`, iat: now(), exp: now() + 600, role: "practitioner", ...extra };
}

/** Signs exactly these claims (no defaults added) with the trusted key. */
async function signed(claims: JWTPayload, header: { alg: string; kid?: string; typ?: string } = { alg: "ES256", kid: "partner-1" }) {
  const key = await importJWK(JSON.parse(env.TEST_SIGNING_JWK), "ES256");
  return new SignJWT(claims).setProtectedHeader(header).sign(key);
}

const create = (token?: string) =>
  postJson("/api/v1/consultations", { invitee: { name: "Ola" } }, token === undefined ? {} : bearer(token));

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(await errorCode(response)).toBe("unauthorized");
}

/** A `YYYY-MM-DD` birthdate for someone `years` old whose next birthday is `daysToBirthday` (≥ 1) away. */
function birthdate(years: number, daysToBirthday: number): string {
  const today = new Date();
  const born = new Date(Date.UTC(today.getUTCFullYear() - years - 1, today.getUTCMonth(), today.getUTCDate() + daysToBirthday));
  return born.toISOString().slice(0, 10);
}

describe("partner tokens are refused with 401", () => {
  it("accepts a well-formed practitioner token (the baseline the others break)", async () => {
    expect((await create(await signed(validClaims()))).status).toBe(201);
  });

  it("refuses a request without a token", async () => {
    await expectUnauthorized(await create());
  });

  it("refuses a non-Bearer authorization header", async () => {
    const token = await signed(validClaims());
    await expectUnauthorized(await postJson("/api/v1/consultations", {}, { authorization: `Basic ${token}` }));
  });

  it("refuses a garbage token", async () => {
    await expectUnauthorized(await create("not.a.jwt"));
    await expectUnauthorized(await create("garbage"));
  });

  it("refuses `alg: none`", async () => {
    const token = `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${b64url(JSON.stringify(validClaims()))}.`;
    await expectUnauthorized(await create(token));
  });

  it("refuses HS256 signed with the partner's public key as the HMAC secret", async () => {
    const publicJwkJson = JSON.stringify((JSON.parse(env.AUTH_JWKS!) as { keys: unknown[] }).keys[0]);
    for (const secret of [publicJwkJson, env.AUTH_JWKS!]) {
      const token = await new SignJWT(validClaims())
        .setProtectedHeader({ alg: "HS256", kid: "partner-1" })
        .sign(new TextEncoder().encode(secret));
      await expectUnauthorized(await create(token));
    }
  });

  it("refuses a token signed by an unknown key, with or without the trusted kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    for (const kid of ["partner-1", "someone-else"]) {
      const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: "ES256", kid }).sign(privateKey);
      await expectUnauthorized(await create(token));
    }
  });

  it("refuses an expired token (beyond the 60 s tolerance)", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ iat: now() - 600, exp: now() - 120 }))));
  });

  it("refuses a token that is not valid yet (nbf more than 60 s ahead)", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ nbf: now() + 300 }))));
  });

  it("refuses a wrong audience", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ aud: "someone-else" }))));
  });

  it("refuses a wrong issuer", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ iss: "https://evil.example" }))));
  });

  it("refuses a token without `sub`", async () => {
    const { sub: _sub, ...claims } = validClaims();
    await expectUnauthorized(await create(await signed(claims)));
  });

  it("refuses a token with an empty `sub`", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ sub: "" }))));
  });

  it("refuses a token without `exp`", async () => {
    const { exp: _exp, ...claims } = validClaims();
    await expectUnauthorized(await create(await signed(claims)));
  });

  it("refuses `exp` more than one hour ahead", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ exp: now() + 2 * 3600 }))));
  });

  it("refuses a token issued to live more than one hour, even if exp is near", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ iat: now() - 3 * 3600, exp: now() + 60 }))));
  });

  it("refuses a token without `iat`", async () => {
    const { iat: _iat, ...claims } = validClaims();
    const response = await create(await signed(claims));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized", message: expect.stringContaining("`iat`") });
  });

  it("refuses `iat` from the future beyond the 60 s tolerance, accepts it within", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ iat: now() + 120, exp: now() + 600 }))));
    expect((await create(await signed(validClaims({ iat: now() + 30, exp: now() + 600 })))).status).toBe(201);
  });

  it("refuses a `typ` header other than JWT or at+jwt (another kind of token)", async () => {
    for (const typ of ["dpop+jwt", "logout+jwt", "JOSE", "secevent+jwt", ""]) {
      const response = await create(await signed(validClaims(), { alg: "ES256", kid: "partner-1", typ }));
      expect(response.status, typ).toBe(401);
      expect(((await response.json()) as { message: string }).message, typ).toMatch(/typ/);
    }
  });

  it("accepts `typ` JWT or at+jwt in any case, with or without application/", async () => {
    for (const typ of ["JWT", "jwt", "at+jwt", "AT+JWT", "application/at+jwt", "application/JWT"]) {
      expect((await create(await signed(validClaims(), { alg: "ES256", kid: "partner-1", typ }))).status, typ).toBe(201);
    }
  });

  it("accepts `exp` exactly one hour ahead", async () => {
    expect((await create(await signed(validClaims({ exp: now() + 3600 })))).status).toBe(201);
  });

  it("refuses a tampered payload", async () => {
    const [header, , signature] = (await signed(validClaims())).split(".");
    const forged = `${header}.${b64url(JSON.stringify(validClaims({ sub: "someone-else" })))}.${signature}`;
    await expectUnauthorized(await create(forged));
  });

  it("refuses a malformed `birthdate`", async () => {
    await expectUnauthorized(await create(await signed(validClaims({ birthdate: "2001-02-30" }))));
  });

  it("authenticates every token endpoint, not only create", async () => {
    const { id } = await createConsultation();
    await expectUnauthorized(await api(`/api/v1/consultations/${id}`));
    await expectUnauthorized(await api(`/api/v1/consultations/${id}`, { method: "DELETE" }));
    await expectUnauthorized(await postJson(`/api/v1/consultations/${id}/invites`, {}));
    await expectUnauthorized(await join(id, { token: "garbage" }));
  });
});

describe("roles", () => {
  it("a client may not create a consultation (403)", async () => {
    const response = await create(await partnerToken({ role: "client" }));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });

  it("a token without a role may not create a consultation (403)", async () => {
    const response = await create(await partnerToken({}));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("forbidden");
  });
});

describe("MIN_AGE (16) via `birthdate`", () => {
  it("refuses a 15-year-old host (one day before turning 16)", async () => {
    const response = await create(await signed(validClaims({ birthdate: birthdate(15, 1) })));
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe("age_restricted");
  });

  it("accepts a host who turns 16 today", async () => {
    const t = new Date();
    const sixteenToday = new Date(Date.UTC(t.getUTCFullYear() - 16, t.getUTCMonth(), t.getUTCDate())).toISOString().slice(0, 10);
    // On Feb 29 the date sixteen years back rolls over to Mar 1: not a birthday today.
    if (sixteenToday.slice(5) === t.toISOString().slice(5, 10)) {
      expect((await create(await signed(validClaims({ birthdate: sixteenToday })))).status).toBe(201);
    }
  });

  it("accepts a 17-year-old host", async () => {
    expect((await create(await signed(validClaims({ birthdate: birthdate(17, 30) })))).status).toBe(201);
  });

  it("refuses a 15-year-old invitee joining with a token, and lets a 17-year-old in", async () => {
    const young = `client-${crypto.randomUUID()}`;
    const older = `client-${crypto.randomUUID()}`;
    const groupHost = await createConsultation({ mode: "group", invitee: { sub: young } });
    await postJson(`/api/v1/consultations/${groupHost.id}/invites`, { sub: older }, bearer(groupHost.hostToken));

    const refused = await join(groupHost.id, { token: await partnerToken({ sub: young, role: "client", birthdate: birthdate(15, 1) }) });
    expect(refused.status).toBe(403);
    expect(await errorCode(refused)).toBe("age_restricted");

    const admitted = await join(groupHost.id, { token: await partnerToken({ sub: older, role: "client", birthdate: birthdate(17, 30) }) });
    expect(admitted.status).toBe(200);
  });
});
