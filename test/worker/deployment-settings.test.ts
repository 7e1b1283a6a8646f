/**
 * Settings a deployment chooses, which the shared test configuration cannot
 * vary: the real worker handler is called inside workerd with the test
 * bindings plus one changed variable, against the real Durable Objects.
 */
import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readConfig } from "../../worker/config.ts";
import type { Env } from "../../worker/env.ts";
import { handle } from "../../worker/router.ts";
import type { CreateConsultationResponse, JoinResponse } from "../../worker/protocol.ts";
import { iceServersFor, TURN_API_TIMEOUT_MS } from "../../worker/turn.ts";
import { ORIGIN, partnerToken } from "./helpers.ts";

/** One request to the worker as deployed with `overrides`. */
async function call(overrides: Partial<Env>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await handle(new Request(`${ORIGIN}${path}`, init), { ...(env as Env), ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function post(overrides: Partial<Env>, path: string, body: unknown, token?: string): Promise<Response> {
  return call(overrides, path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

describe("configuration defaults", () => {
  it("are the contract's when nothing is set, and pin data to the EU", () => {
    const config = readConfig({} as Env);
    expect(config).toMatchObject({
      issuer: undefined,
      audience: "samtale",
      algorithms: ["ES256", "EdDSA", "RS256"],
      allowedOrigins: [],
      jurisdiction: "eu",
      minAge: 16,
      chat: true,
      hostGraceSeconds: 120,
      devAuth: false,
    });
  });

  it("keep the EU for anything but an explicit `none`", () => {
    for (const value of ["eu", "EU", "", "fedramp", "nnone"]) {
      expect(readConfig({ DATA_JURISDICTION: value } as Env).jurisdiction, value).toBe("eu");
    }
    expect(readConfig({ DATA_JURISDICTION: "none" } as Env).jurisdiction).toBe("none");
  });

  it("ignore a MIN_AGE or grace period that is not a whole number", () => {
    expect(readConfig({ MIN_AGE: "abc", HOST_GRACE_SECONDS: "-5" } as Env)).toMatchObject({ minAge: 16, hostGraceSeconds: 120 });
  });
});

describe("a deployment with CHAT=off", () => {
  it("turns chat off in every consultation, whatever the host asked for", async () => {
    const token = await partnerToken({ role: "practitioner", name: "Kari" });
    const created = await post({ CHAT: "off" }, "/api/v1/consultations", { invitee: {}, chat: true }, token);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as CreateConsultationResponse;
    const view = await call({ CHAT: "off" }, `/api/v1/consultations/${id}`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await view.json()) as { policy: { chat: boolean } }).policy.chat).toBe(false);
  });
});

describe("a deployment with MIN_AGE=18", () => {
  it("refuses a 17-year-old that the default would admit", async () => {
    const born = new Date();
    born.setUTCFullYear(born.getUTCFullYear() - 17);
    const token = await partnerToken({ role: "practitioner", birthdate: born.toISOString().slice(0, 10) });
    const refused = await post({ MIN_AGE: "18" }, "/api/v1/consultations", { invitee: {} }, token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: string }).error).toBe("age_restricted");
    expect((await post({}, "/api/v1/consultations", { invitee: {} }, token)).status).toBe(201);
  });
});

describe("a deployment without AUTH_ISSUER", () => {
  it("refuses every partner token", async () => {
    const token = await partnerToken({ role: "practitioner" });
    const response = await post({ AUTH_ISSUER: "" }, "/api/v1/consultations", { invitee: {} }, token);
    expect(response.status).toBe(401);
  });
});

describe("the demo issuer with DEV_AUTH=1", () => {
  const dev = { DEV_AUTH: "1" } as const;

  it("mints tokens the same worker trusts, and validates what it is asked for", async () => {
    const minted = await post(dev, "/dev/token", { sub: "kari", name: "Kari Fysio", role: "practitioner" });
    expect(minted.status).toBe(200);
    const { token } = (await minted.json()) as { token: string };
    const created = await post(dev, "/api/v1/consultations", { invitee: { name: "Ola" } }, token);
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as CreateConsultationResponse;
    const joined = await post(dev, `/api/v1/consultations/${id}/join`, {}, token);
    expect(((await joined.json()) as JoinResponse).ticket).toBeTruthy();

    expect((await post(dev, "/dev/token", { name: "no sub" })).status).toBe(400);
    expect((await post(dev, "/dev/token", { sub: "x", role: "admin" })).status).toBe(400);
  });

  it("still applies the age rule to demo tokens", async () => {
    const minted = await post(dev, "/dev/token", { sub: "young", role: "client", birthdate: "2020-01-01" });
    const { token } = (await minted.json()) as { token: string };
    const response = await post(dev, "/api/v1/consultations", { invitee: {} }, token);
    expect(((await response.json()) as { error: string }).error).toBe("age_restricted");
  });

  it("does not make demo tokens valid where DEV_AUTH is off", async () => {
    const { token } = (await (await post(dev, "/dev/token", { sub: "kari", role: "practitioner" })).json()) as { token: string };
    expect((await post({}, "/api/v1/consultations", { invitee: {} }, token)).status).toBe(401);
  });
});

describe("STUN servers", () => {
  it("are the deployment's STUN_URLS, or Cloudflare's by default, always first", async () => {
    const expiresAt = Date.now() + 600_000;
    const custom = { STUN_URLS: "stun:stun.example.eu:3478, stun:stun2.example.eu:3478" } as Env;
    expect(await iceServersFor(custom, readConfig(custom), "p1", expiresAt)).toEqual([
      { urls: ["stun:stun.example.eu:3478", "stun:stun2.example.eu:3478"] },
    ]);
    const servers = await iceServersFor(env as Env, readConfig({} as Env), "p1", expiresAt);
    expect(servers[0]).toEqual({ urls: ["stun:stun.cloudflare.com:3478"] });
    // Never none: an empty setting is the default, not "no STUN".
    const empty = { STUN_URLS: " , " } as Env;
    expect((await iceServersFor(empty, readConfig(empty), "p1", expiresAt))[0]).toEqual({ urls: ["stun:stun.cloudflare.com:3478"] });
  });
});

describe("Cloudflare's TURN service (TURN_KEY_ID, TURN_KEY_API_TOKEN)", () => {
  // The service is out of reach here: its one outbound call is stubbed.
  const settings = { TURN_KEY_ID: "key-1", TURN_KEY_API_TOKEN: "api-token" } as Env;
  const relay = { urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: "u", credential: "c" };

  afterEach(() => vi.restoreAllMocks());

  it("asks for credentials that expire with the consultation, and hands them out after STUN", async () => {
    const requests: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      requests.push(new Request(input as RequestInfo, init));
      return Response.json({ iceServers: [{ urls: ["stun:stun.cloudflare.com:3478"] }, relay] }, { status: 201 });
    });
    const now = Date.now();
    const servers = await iceServersFor(settings, readConfig(settings), "p1", now + 900_000, now);
    expect(servers).toEqual([{ urls: ["stun:stun.cloudflare.com:3478"] }, { urls: ["stun:stun.cloudflare.com:3478"] }, relay]);
    expect(requests).toHaveLength(1);
    const [request] = requests as [Request];
    expect(request.method).toBe("POST");
    expect(request.url).toBe("https://rtc.live.cloudflare.com/v1/turn/keys/key-1/credentials/generate-ice-servers");
    expect(request.headers.get("authorization")).toBe("Bearer api-token");
    expect(await request.json()).toEqual({ ttl: 900 });
  });

  it("asks for at most two hours for a consultation that lasts a day", async () => {
    const bodies: unknown[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      bodies.push(await new Request(input as RequestInfo, init).json());
      return Response.json({ iceServers: [relay] }, { status: 201 });
    });
    const now = Date.now();
    await iceServersFor(settings, readConfig(settings), "p1", now + 24 * 3600_000, now);
    expect(bodies).toEqual([{ ttl: 7200 }]);
  });

  it("gives up on a service that does not answer in time and still answers STUN", { timeout: TURN_API_TIMEOUT_MS + 5000 }, async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const signals: (AbortSignal | null | undefined)[] = [];
    const realFetch = globalThis.fetch;
    // The TURN API hangs until the worker's own signal gives up on it; other
    // calls of the same isolate (webhook deliveries) go through as usual.
    vi.spyOn(globalThis, "fetch").mockImplementation((input, init) => {
      if (!String(input instanceof Request ? input.url : input).startsWith("https://rtc.live.cloudflare.com/")) {
        return realFetch(input, init);
      }
      return new Promise((_resolve, reject) => {
        signals.push(init?.signal);
        init?.signal?.addEventListener("abort", () => reject(init.signal!.reason));
      });
    });
    const servers = await iceServersFor(settings, readConfig(settings), "p1", Date.now() + 600_000);
    expect(servers).toEqual([{ urls: ["stun:stun.cloudflare.com:3478"] }]);
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
  });

  it("still answers STUN when the service fails, so the call can go direct", async () => {
    vi.spyOn(globalThis, "fetch").mockResolvedValue(new Response("nope", { status: 503 }));
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const servers = await iceServersFor(settings, readConfig(settings), "p1", Date.now() + 60_000);
    expect(servers).toEqual([{ urls: ["stun:stun.cloudflare.com:3478"] }]);
  });
});

describe("a deployment that fetches its keys (AUTH_JWKS_URL)", () => {
  // The partner's key server is out of reach here: the worker's outbound
  // fetch is stubbed. Each case uses its own URL, since key sets are cached.
  const fromUrl = (url: string) => ({ AUTH_JWKS: "", AUTH_JWKS_URL: url }) as Partial<Env>;

  afterEach(() => vi.restoreAllMocks());

  it("verifies tokens with the fetched keys", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json(JSON.parse(env.AUTH_JWKS!)));
    const token = await partnerToken({ role: "practitioner" });
    expect((await post(fromUrl("https://keys.partner.example/ok"), "/api/v1/consultations", { invitee: {} }, token)).status).toBe(201);
  });

  it("answers 503 unavailable, not 401, when the key set cannot be fetched", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const token = await partnerToken({ role: "practitioner" });
    const failures: [string, () => Promise<Response>][] = [
      ["network", () => Promise.reject(new TypeError("network connection lost"))],
      ["timeout", () => Promise.reject(new DOMException("timed out", "TimeoutError"))],
      ["500", async () => new Response("down", { status: 500 })],
      ["not JSON", async () => new Response("<html>", { status: 200 })],
    ];
    for (const [what, failure] of failures) {
      vi.spyOn(globalThis, "fetch").mockImplementation(failure);
      const response = await post(fromUrl(`https://keys.partner.example/${encodeURIComponent(what)}`), "/api/v1/consultations", { invitee: {} }, token);
      expect(response.status, what).toBe(503);
      expect(((await response.json()) as { error: string }).error, what).toBe("unavailable");
    }
  });

  it("still answers 401 for a key the reachable set does not hold", async () => {
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => Response.json({ keys: [] }));
    const token = await partnerToken({ role: "practitioner" });
    const response = await post(fromUrl("https://keys.partner.example/empty"), "/api/v1/consultations", { invitee: {} }, token);
    expect(response.status).toBe(401);
  });

  it("refuses to run with an http: key set URL, naming the setting", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const fetched = vi.spyOn(globalThis, "fetch");
    const token = await partnerToken({ role: "practitioner" });
    const response = await post(fromUrl("http://keys.partner.example/jwks"), "/api/v1/consultations", { invitee: {} }, token);
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe("internal");
    expect(body.message).toMatch(/AUTH_JWKS_URL must be an https: URL/);
    expect(logged).toHaveBeenCalled();
    expect(fetched).not.toHaveBeenCalled();
  });
});

describe("ALLOWED_ORIGINS entries that are not exact origins", () => {
  const wrong = [
    "*",
    "https://*.partner.example",
    "https://partner.example/embed",
    "https://partner.example;script-src *",
    "https://partner.example https://other.example",
    "https://partner.example\tx",
    "ftp://partner.example",
    "partner.example",
    "null",
    "https://PARTNER.example",
    "https://partner.example:443",
    "https://user@partner.example",
    "https://partner.example/?x",
    "https://partner.example//",
  ];

  it("stop the deployment: every request, pages included, is 500 with a message naming the entry, and it is logged", async () => {
    for (const entry of wrong) {
      const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
      const settings = { ALLOWED_ORIGINS: `https://fine.example, ${entry}` };
      for (const path of ["/", "/api/v1/consultations/abc"]) {
        const response = await call(settings, path, { headers: { origin: "https://fine.example" } });
        expect(response.status, `${entry} ${path}`).toBe(500);
        expect(response.headers.get("content-type")).toMatch(/^application\/json/);
        const body = (await response.json()) as { error: string; message: string };
        expect(body.error).toBe("internal");
        expect(body.message, entry).toContain(`ALLOWED_ORIGINS entry ${JSON.stringify(entry)}`);
        // Nothing of the setting reaches a header.
        for (const name of ["content-security-policy", "permissions-policy", "access-control-allow-origin"]) {
          expect(response.headers.get(name), `${entry} ${name}`).toBeNull();
        }
      }
      expect(logged, entry).toHaveBeenCalled();
      vi.restoreAllMocks();
    }
  });

  it("are never read into the configuration either", () => {
    for (const entry of wrong) expect(readConfig({ ALLOWED_ORIGINS: entry } as Env).allowedOrigins, entry).toEqual([]);
  });

  it("exact origins run, one trailing slash tolerated, spaces around commas too", async () => {
    const settings = { ALLOWED_ORIGINS: " https://a.example/ ,http://localhost:8080,https://b.example:8443" };
    expect(readConfig(settings as Env).allowedOrigins).toEqual(["https://a.example", "http://localhost:8080", "https://b.example:8443"]);
    const page = await call(settings, "/");
    expect(page.status).toBe(200);
    expect(page.headers.get("permissions-policy")).toContain(`camera=(self "https://a.example" "http://localhost:8080" "https://b.example:8443")`);
  });
});
