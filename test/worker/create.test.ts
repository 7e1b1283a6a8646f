/**
 * POST /api/v1/consultations: every field's validation, the defaults, and
 * the invite it answers with (URL with secrets in the fragment, a code of at
 * least 128 bits, never outliving the consultation).
 */
import { describe, expect, it } from "vitest";
import type { CreateConsultationResponse } from "../../worker/protocol.ts";
import { api, bearer, connect, errorCode, ORIGIN, postJson, practitionerToken } from "./helpers.ts";

async function create(body: unknown) {
  return postJson("/api/v1/consultations", body, bearer(await practitionerToken()));
}

async function created(body: unknown): Promise<CreateConsultationResponse> {
  const response = await create(body);
  expect(response.status).toBe(201);
  return (await response.json()) as CreateConsultationResponse;
}

async function expectInvalid(body: unknown) {
  const response = await create(body);
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(await errorCode(response)).toBe("invalid_request");
}

function base64urlBytes(text: string): number {
  const padded = text.replaceAll("-", "+").replaceAll("_", "/");
  return atob(padded + "=".repeat((4 - (padded.length % 4)) % 4)).length;
}

describe("create: validation", () => {
  it("refuses an unknown mode", async () => {
    await expectInvalid({ invitee: {}, mode: "crowd" });
    await expectInvalid({ invitee: {}, mode: 1 });
  });

  it("refuses maxParticipants outside 2..5 or not whole", async () => {
    for (const maxParticipants of [1, 6, 0, -1, 2.5, "3"]) {
      await expectInvalid({ invitee: {}, mode: "group", maxParticipants });
    }
  });

  it("refuses a pair with maxParticipants other than 2", async () => {
    await expectInvalid({ invitee: {}, mode: "pair", maxParticipants: 3 });
    await expectInvalid({ invitee: {}, maxParticipants: 5 });
  });

  it("accepts a pair with maxParticipants 2 and groups of 2..5", async () => {
    await created({ invitee: {}, mode: "pair", maxParticipants: 2 });
    for (const maxParticipants of [2, 5]) await created({ invitee: {}, mode: "group", maxParticipants });
  });

  it("refuses ttlSeconds outside 300..86400 or not whole", async () => {
    for (const ttlSeconds of [299, 86401, 0, 600.5, "600"]) await expectInvalid({ invitee: {}, ttlSeconds });
  });

  it("refuses a non-boolean chat", async () => {
    await expectInvalid({ invitee: {}, chat: "yes" });
  });

  it("treats an explicit null as a mistake, not as the default", async () => {
    for (const field of ["mode", "maxParticipants", "chat", "ttlSeconds", "invitee"]) {
      await expectInvalid({ invitee: {}, [field]: null });
    }
  });

  it("refuses a malformed invitee", async () => {
    await expectInvalid({ invitee: "Ola" });
    await expectInvalid({ invitee: { sub: 42 } });
    await expectInvalid({ invitee: { sub: "" } });
    await expectInvalid({ invitee: { name: "   " } });
    await expectInvalid({ invitee: { name: "x".repeat(101) } });
  });

  it("refuses a body that is not a JSON object", async () => {
    const token = await practitionerToken();
    for (const body of ["[1]", '"text"', "{not json", "null"]) {
      const response = await api("/api/v1/consultations", {
        method: "POST",
        headers: { "content-type": "application/json", ...bearer(token) },
        body,
      });
      expect(response.status, body).toBe(400);
      expect(await errorCode(response)).toBe("invalid_request");
    }
  });
});

describe("create: the answer", () => {
  it("defaults to a 2-hour ttl", async () => {
    const before = Date.now();
    const expires = Date.parse((await created({ invitee: { name: "Ola" } })).expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 7200_000 - 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 7200_000 + 1000);
  });

  it("an empty body is a pair with a guest invite", async () => {
    const response = await api("/api/v1/consultations", { method: "POST", headers: bearer(await practitionerToken()) });
    expect(response.status).toBe(201);
    expect(((await response.json()) as CreateConsultationResponse).invite.code).toBeDefined();
  });

  it("puts the policy it stored in the host's welcome", async () => {
    const token = await practitionerToken();
    const response = await postJson("/api/v1/consultations", { invitee: {}, mode: "group", maxParticipants: 4, chat: false, ttlSeconds: 300 }, bearer(token));
    const { id, expiresAt } = (await response.json()) as CreateConsultationResponse;
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(300_000);
    const host = await connect(id, { token });
    const welcome = await host.next("welcome");
    expect(welcome.policy).toEqual({ mode: "group", maxParticipants: 4, chat: false, relayOnly: false });
    expect(welcome.expiresAt).toBe(expiresAt);
  });

  it("the default pair policy is {pair, 2, chat on, not relay-only}", async () => {
    const token = await practitionerToken();
    const response = await postJson("/api/v1/consultations", { invitee: {} }, bearer(token));
    const { id } = (await response.json()) as CreateConsultationResponse;
    const welcome = await (await connect(id, { token })).next("welcome");
    expect(welcome.policy).toEqual({ mode: "pair", maxParticipants: 2, chat: true, relayOnly: false });
  });

  it("a group defaults to maxParticipants 5", async () => {
    const token = await practitionerToken();
    const response = await postJson("/api/v1/consultations", { invitee: {}, mode: "group" }, bearer(token));
    const { id } = (await response.json()) as CreateConsultationResponse;
    const welcome = await (await connect(id, { token })).next("welcome");
    expect(welcome.policy.maxParticipants).toBe(5);
  });

  it("answers an opaque 64-hex id and ISO 8601 UTC times", async () => {
    const body = await created({ invitee: {} });
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "id", "invite"]);
    expect(body.id).toMatch(/^[0-9a-f]{64}$/);
    expect(body.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
    expect(new Date(body.expiresAt).toISOString()).toBe(body.expiresAt);
  });

  it("a guest invite: a code of at least 128 bits, both secrets in the URL fragment", async () => {
    const { id, expiresAt, invite } = await created({ invitee: { name: "Ola" } });
    expect(invite.code).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(base64urlBytes(invite.code!) * 8).toBeGreaterThanOrEqual(128);
    expect(invite.url).toBe(`${ORIGIN}/join#consultation=${id}&code=${invite.code}`);
    // An invite never outlives its consultation.
    expect(invite.expiresAt).toBe(expiresAt);
  });

  it("codes are fresh each time", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 5; i++) codes.add((await created({ invitee: {} })).invite.code!);
    expect(codes.size).toBe(5);
  });

  it("a known invitee: no code, and a URL without `&code=`", async () => {
    const { id, invite } = await created({ invitee: { sub: "client-42", name: "Ola" } });
    expect(invite.code).toBeUndefined();
    expect(invite.url).toBe(`${ORIGIN}/join#consultation=${id}`);
  });

  it("ids differ between consultations", async () => {
    const a = await created({ invitee: {} });
    const b = await created({ invitee: {} });
    expect(a.id).not.toBe(b.id);
  });
});
