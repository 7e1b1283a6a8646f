/**
 * The privacy relay: a relay-only consultation offers TURN servers only (no
 * STUN, so no address is even discovered), says so in `policy`, and cannot
 * be asked for where there is no TURN. A deployment's `RELAY_ONLY=on` holds
 * for every consultation, whatever it asked for, and needs TURN to run.
 */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../../worker/env.ts";
import type { ConsultationView, CreateConsultationResponse, IceServer } from "../../worker/protocol.ts";
import { handle } from "../../worker/router.ts";
import { turnOnly } from "../../worker/turn.ts";
import { api, bearer, connect, errorCode, ORIGIN, postJson, practitionerToken } from "./helpers.ts";

/** One request to the worker as deployed with `overrides`. */
async function call(overrides: Partial<Env>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await handle(new Request(`${ORIGIN}${path}`, init), { ...(env as Env), ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

function create(overrides: Partial<Env>, body: unknown, token: string): Promise<Response> {
  return call(overrides, "/api/v1/consultations", {
    method: "POST",
    headers: { "content-type": "application/json", ...bearer(token) },
    body: JSON.stringify(body),
  });
}

const NO_TURN: Partial<Env> = { TURN_URLS: undefined, TURN_SECRET: undefined, TURN_KEY_ID: undefined, TURN_KEY_API_TOKEN: undefined };

const urlsOf = (servers: IceServer[]) => servers.flatMap((server) => [server.urls].flat());

async function view(id: string, token: string): Promise<ConsultationView> {
  return (await (await api(`/api/v1/consultations/${id}`, { headers: bearer(token) })).json()) as ConsultationView;
}

describe("a relay-only consultation", () => {
  it("offers host and admitted guest TURN servers only, with credentials, and says relayOnly in welcome and view", async () => {
    const token = await practitionerToken();
    const response = await postJson("/api/v1/consultations", { invitee: {}, relayOnly: true }, bearer(token));
    expect(response.status).toBe(201);
    const { id, invite } = (await response.json()) as CreateConsultationResponse;

    const host = await connect(id, { token });
    const hostWelcome = await host.next("welcome");
    expect(hostWelcome.policy.relayOnly).toBe(true);
    const guest = await connect(id, { code: invite.code! });
    host.send({ type: "admit", id: (await host.next("knock")).participant.id });
    const guestWelcome = await guest.next("welcome");
    expect(guestWelcome.policy.relayOnly).toBe(true);

    for (const { iceServers } of [hostWelcome, guestWelcome]) {
      expect(iceServers.length).toBeGreaterThan(0);
      for (const url of urlsOf(iceServers)) expect(url).toMatch(/^turns?:/);
      for (const server of iceServers) expect(server.username && server.credential).toBeTruthy();
    }
    expect((await view(id, token)).policy.relayOnly).toBe(true);
  });

  it("is off by default: policy says relayOnly false and STUN is offered", async () => {
    const token = await practitionerToken();
    const { id } = (await (await postJson("/api/v1/consultations", { invitee: {} }, bearer(token))).json()) as CreateConsultationResponse;
    const welcome = await (await connect(id, { token })).next("welcome");
    expect(welcome.policy.relayOnly).toBe(false);
    expect(urlsOf(welcome.iceServers).some((url) => url.startsWith("stun:"))).toBe(true);
    expect((await view(id, token)).policy.relayOnly).toBe(false);
  });

  it("refuses a relayOnly that is not a boolean", async () => {
    for (const relayOnly of ["true", 1, null]) {
      const response = await postJson("/api/v1/consultations", { relayOnly }, bearer(await practitionerToken()));
      expect(response.status, String(relayOnly)).toBe(400);
      expect(await errorCode(response)).toBe("invalid_request");
    }
  });

  it("asked for on a deployment without TURN is 400 invalid_request; a direct one is still created", async () => {
    const token = await practitionerToken();
    const refused = await create(NO_TURN, { invitee: {}, relayOnly: true }, token);
    expect(refused.status).toBe(400);
    expect(await errorCode(refused)).toBe("invalid_request");
    expect((await create(NO_TURN, { invitee: {}, relayOnly: false }, token)).status).toBe(201);
  });
});

describe("a deployment with RELAY_ONLY=on", () => {
  it("makes every consultation relay-only, a relayOnly: false included", async () => {
    const token = await practitionerToken();
    for (const body of [{ invitee: {}, relayOnly: false }, { invitee: {} }]) {
      const response = await create({ RELAY_ONLY: "on" }, body, token);
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as CreateConsultationResponse;
      // The choice is stored with the consultation, so it holds wherever its object runs.
      const welcome = await (await connect(id, { token })).next("welcome");
      expect(welcome.policy.relayOnly).toBe(true);
      for (const url of urlsOf(welcome.iceServers)) expect(url).toMatch(/^turns?:/);
      expect((await view(id, token)).policy.relayOnly).toBe(true);
    }
  });

  it("without TURN refuses to run: every request is a clear 500 naming RELAY_ONLY", async () => {
    const token = await practitionerToken();
    for (const path of ["/api/v1/consultations", "/"]) {
      const response = await call({ ...NO_TURN, RELAY_ONLY: "on" }, path, path === "/" ? {} : { method: "POST", headers: bearer(token), body: "{}" });
      expect(response.status).toBe(500);
      const body = (await response.json()) as { error: string; message: string };
      expect(body.error).toBe("internal");
      expect(body.message).toContain("RELAY_ONLY");
    }
  });

  it("a value other than on or off refuses to run rather than guess", async () => {
    for (const value of ["yes", "true", "1", "o n"]) {
      const response = await call({ RELAY_ONLY: value }, "/");
      expect(response.status, value).toBe(500);
      expect(((await response.json()) as { message: string }).message).toContain("RELAY_ONLY");
    }
    for (const value of ["on", "ON ", "off", "Off", ""]) expect((await call({ RELAY_ONLY: value }, "/api/v1/nothing")).status, value).toBe(404);
  });
});

describe("turnOnly", () => {
  it("keeps turn: and turns: URLs and drops STUN, as in Cloudflare's TURN answer", () => {
    const servers: IceServer[] = [
      {
        urls: ["stun:stun.cloudflare.com:3478", "turn:turn.cloudflare.com:3478?transport=udp", "turns:turn.cloudflare.com:5349?transport=tcp"],
        username: "u",
        credential: "c",
      },
      { urls: "stun:stun.example:3478" },
    ];
    expect(turnOnly(servers)).toEqual([
      { urls: ["turn:turn.cloudflare.com:3478?transport=udp", "turns:turn.cloudflare.com:5349?transport=tcp"], username: "u", credential: "c" },
    ]);
  });
});
