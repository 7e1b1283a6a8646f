/**
 * The demo issuer exists only with DEV_AUTH=1; the tests run without it, as
 * production does: `POST /dev/token` is 404 and a token in the dev issuer's
 * name is just an unknown token.
 */
import { generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { mintDevToken } from "../../worker/dev-issuer.ts";
import { api, bearer, errorCode, postJson } from "./helpers.ts";

describe("dev token", () => {
  it("POST /dev/token is 404 when DEV_AUTH is unset", async () => {
    const response = await postJson("/dev/token", { sub: "demo", role: "practitioner" });
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
    expect((await api("/dev/token", { method: "POST" })).status).toBe(404);
  });

  it("a token claiming the dev issuer and key id is refused", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT({ role: "practitioner" })
      .setProtectedHeader({ alg: "ES256", kid: "samtale-dev-key" })
      .setIssuer("samtale-dev")
      .setAudience("samtale")
      .setSubject("demo")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(privateKey);
    const response = await postJson("/api/v1/consultations", { invitee: {} }, bearer(token));
    expect(response.status).toBe(401);
  });

  it("a token signed with the demo issuer's own key, which is public, is refused", async () => {
    const token = await mintDevToken({ sub: "demo", role: "practitioner" }, "samtale");
    const response = await postJson("/api/v1/consultations", { invitee: {} }, bearer(token));
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe("unauthorized");
  });
});
