/**
 * What every response carries (nosniff, no-referrer, JSON content type),
 * the error body's shape, CORS for allowed origins only, and the 16 KiB
 * body limit.
 */
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, readJsonBody } from "../../worker/api-requests.ts";
import { api, bearer, createConsultation, errorCode, join, ORIGIN, PARTNER_ORIGIN, postJson, practitionerToken, ticketFor } from "./helpers.ts";

const FOREIGN = "https://evil.example";

function expectSecurityHeaders(response: Response, what: string) {
  expect(response.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(response.headers.get("referrer-policy"), what).toBe("no-referrer");
}

const varies = (response: Response) =>
  (response.headers.get("vary") ?? "").split(",").map((v) => v.trim().toLowerCase()).includes("origin");

describe("headers on every response", () => {
  it("API answers of every kind carry nosniff and no-referrer; JSON ones application/json", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const { ticket } = await ticketFor(id, { token: hostToken });
    const cases: [string, Response, boolean][] = [
      ["201 create", await postJson("/api/v1/consultations", {}, bearer(hostToken)), true],
      ["200 join", await join(id, { code: invite.code! }), true],
      ["200 view", await api(`/api/v1/consultations/${id}`, { headers: bearer(hostToken) }), true],
      ["401", await api(`/api/v1/consultations/${id}`), true],
      ["403", await api(`/api/v1/consultations/${id}`, { headers: bearer(await practitionerToken()) }), true],
      ["404 unknown endpoint", await api("/api/v1/nothing"), true],
      ["409", await join(id, { code: invite.code! }), true],
      ["426", await api(`/api/v1/consultations/${id}/ws?ticket=${ticket}`, { headers: { origin: ORIGIN } }), true],
      ["400", await postJson("/api/v1/consultations", { mode: "x" }, bearer(hostToken)), true],
      ["204 preflight", await api("/api/v1/consultations", { method: "OPTIONS", headers: { origin: PARTNER_ORIGIN, "access-control-request-method": "POST" } }), false],
      ["204 delete", await api(`/api/v1/consultations/${id}`, { method: "DELETE", headers: bearer(hostToken) }), false],
      ["404 dev token", await api("/dev/token", { method: "POST" }), true],
      ["a page", await api("/"), false],
      ["the element", await api("/samtale-call.js"), false],
    ];
    for (const [what, response, isJson] of cases) {
      expectSecurityHeaders(response, what);
      if (isJson) expect(response.headers.get("content-type"), what).toMatch(/^application\/json\b/);
    }
  });

  it("every API answer, errors and preflights included, is cache-control: no-store; the element may be cached", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const cases: [string, Response][] = [
      ["201 create", await postJson("/api/v1/consultations", {}, bearer(hostToken))],
      ["200 join", await join(id, { code: invite.code! })],
      ["200 view", await api(`/api/v1/consultations/${id}`, { headers: bearer(hostToken) })],
      ["401", await api(`/api/v1/consultations/${id}`)],
      ["403 foreign origin", await api(`/api/v1/consultations/${id}`, { headers: { origin: FOREIGN, ...bearer(hostToken) } })],
      ["404 unknown endpoint", await api("/api/v1/nothing")],
      ["413", await api("/api/v1/consultations", { method: "POST", headers: bearer(hostToken), body: "x".repeat(17 * 1024) })],
      ["426", await api(`/api/v1/consultations/${id}/ws`)],
      ["204 preflight", await api("/api/v1/consultations", { method: "OPTIONS", headers: { origin: PARTNER_ORIGIN, "access-control-request-method": "POST" } })],
      ["404 dev token", await api("/dev/token", { method: "POST" })],
      ["204 delete", await api(`/api/v1/consultations/${id}`, { method: "DELETE", headers: bearer(hostToken) })],
    ];
    for (const [what, response] of cases) expect(response.headers.get("cache-control"), what).toBe("no-store");
    expect((await api("/samtale-call.js")).headers.get("cache-control") ?? "").not.toMatch(/no-store/);
  });

  it("pages and API answers carry strict-transport-security for at least a year, subdomains included", async () => {
    for (const path of ["/", "/join", "/samtale-call.js", "/api/v1/nothing"]) {
      const hsts = (await api(path)).headers.get("strict-transport-security") ?? "";
      expect(Number(/max-age=(\d+)/.exec(hsts)?.[1]), path).toBeGreaterThanOrEqual(365 * 24 * 3600);
      expect(hsts, path).toMatch(/;\s*includeSubDomains/i);
    }
  });

  it("pages allow camera, microphone and screen capture to self and the allowed origins only, and turn off the rest", async () => {
    for (const path of ["/", "/join"]) {
      const policy = (await api(path)).headers.get("permissions-policy") ?? "";
      const features = new Map(policy.split(/,\s*/).map((item) => item.split("=") as [string, string]));
      for (const feature of ["camera", "microphone", "display-capture"]) {
        expect(features.get(feature), `${path} ${feature}`).toBe(`(self "${PARTNER_ORIGIN}")`);
      }
      for (const feature of ["geolocation", "payment", "usb", "serial", "hid", "midi"]) {
        expect(features.get(feature), `${path} ${feature}`).toBe("()");
      }
      expect(policy).not.toMatch(/\*/);
    }
  });

  it("errors are {error, message} without a stack trace", async () => {
    const responses = [
      await api("/api/v1/consultations/abc"),
      await postJson("/api/v1/consultations", "not an object", bearer(await practitionerToken())),
      await api("/api/v1/consultations", { method: "POST", headers: { ...bearer(await practitionerToken()), "content-type": "application/json" }, body: "{" }),
      await api("/api/v1/nowhere", { method: "PUT" }),
    ];
    for (const response of responses) {
      const text = await response.clone().text();
      expect(text).not.toMatch(/\bat \S+ \(|\.ts:\d+|Error:/);
      expect(await errorCode(response)).toMatch(/^[a-z_]+$/);
    }
  });
});

describe("CORS", () => {
  it("a preflight from an allowed origin echoes it exactly, varies on origin, allows authorization and content-type", async () => {
    const response = await api("/api/v1/consultations", {
      method: "OPTIONS",
      headers: { origin: PARTNER_ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" },
    });
    expect(response.status).toBeLessThan(300);
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    expect(response.headers.get("vary")).toBe("origin");
    const allowed = (response.headers.get("access-control-allow-headers") ?? "").split(",").map((h) => h.trim().toLowerCase());
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type"]));
    expect(response.headers.get("access-control-allow-methods")).toMatch(/POST/);
  });

  it("a preflight from a foreign origin gets no access-control-allow-origin", async () => {
    for (const origin of [FOREIGN, "https://partner.example.evil.example", "http://partner.example"]) {
      const response = await api("/api/v1/consultations", { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST" } });
      expect(response.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("an API answer to an allowed origin echoes it; never `*`", async () => {
    const response = await postJson("/api/v1/consultations", { invitee: {} }, { ...bearer(await practitionerToken()), origin: PARTNER_ORIGIN });
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    expect(varies(response)).toBe(true);
  });

  it("an API request from a foreign origin gets no access-control-allow-origin (and is refused)", async () => {
    const response = await postJson("/api/v1/consultations", { invitee: {} }, { ...bearer(await practitionerToken()), origin: FOREIGN });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
    expect(response.status).toBe(403);
  });

  it("server-to-server calls (no Origin) work and get no CORS grant", async () => {
    const response = await postJson("/api/v1/consultations", { invitee: {} }, bearer(await practitionerToken()));
    expect(response.status).toBe(201);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("the element's module answers CORS for allowed origins only", async () => {
    const allowed = await api("/samtale-call.js", { headers: { origin: PARTNER_ORIGIN } });
    expect(allowed.headers.get("access-control-allow-origin")).toBe(PARTNER_ORIGIN);
    const foreign = await api("/samtale-call.js", { headers: { origin: FOREIGN } });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("body size", () => {
  const big = () => JSON.stringify({ invitee: { name: "Ola" }, padding: "p".repeat(17 * 1024) });

  it("a body over 16 KiB is 413 too_large on create, invites and join", async () => {
    const { id, hostToken } = await createConsultation({ mode: "group", invitee: {} });
    for (const [path, headers] of [
      ["/api/v1/consultations", bearer(hostToken)],
      [`/api/v1/consultations/${id}/invites`, bearer(hostToken)],
      [`/api/v1/consultations/${id}/join`, {}],
    ] as const) {
      const response = await api(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: big() });
      expect(response.status, path).toBe(413);
      expect(await errorCode(response)).toBe("too_large");
    }
  });

  it("a streamed body over 16 KiB without content-length is 413 too", async () => {
    const bytes = new TextEncoder().encode(big());
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 4096) controller.enqueue(bytes.slice(i, i + 4096));
        controller.close();
      },
    });
    const response = await api("/api/v1/consultations", { method: "POST", headers: bearer(await practitionerToken()), body });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("too_large");
  });

  it("an endless chunked body on the unauthenticated join is 413, not read to its end", async () => {
    const { id } = await createConsultation();
    const chunk = new TextEncoder().encode(`{"code":"${"x".repeat(1000)}`);
    // Never closes: a worker that read bodies whole would never answer.
    const endless = new ReadableStream<Uint8Array>({ pull: (controller) => controller.enqueue(chunk) });
    const response = await api(`/api/v1/consultations/${id}/join`, { method: "POST", body: endless });
    expect(response.status).toBe(413);
    expect(await errorCode(response)).toBe("too_large");
  });

  it("stops pulling a body at the first chunk past 16 KiB + 1 byte", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1024;
        controller.enqueue(new Uint8Array(1024).fill(0x20));
      },
    });
    const request = new Request(`${ORIGIN}/api/v1/consultations`, { method: "POST", body });
    await expect(readJsonBody(request)).rejects.toMatchObject({ code: "too_large", status: 413 });
    // 17 KiB is the first chunk over the limit; a queued read-ahead may add one.
    expect(pulled).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 1024);
  });

  it("a body of exactly 16 KiB without content-length is read", async () => {
    const text = JSON.stringify({ padding: "" });
    const exact = JSON.stringify({ padding: "p".repeat(MAX_BODY_BYTES - text.length) });
    const request = new Request(`${ORIGIN}/x`, { method: "POST", body: new Blob([exact]).stream() });
    expect(new TextEncoder().encode(exact).byteLength).toBe(MAX_BODY_BYTES);
    expect(await readJsonBody(request)).toEqual({ padding: "p".repeat(MAX_BODY_BYTES - text.length) });
  });

  it("a body just under 16 KiB is read", async () => {
    const body = JSON.stringify({ invitee: { name: "Ola" }, padding: "p".repeat(15 * 1024) });
    const response = await api("/api/v1/consultations", { method: "POST", headers: bearer(await practitionerToken()), body });
    expect(response.status).toBe(201);
  });
});
