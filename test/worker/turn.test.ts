/**
 * ICE servers: only admitted participants get them (in `welcome`), TURN
 * credentials follow coturn's `use-auth-secret` (username `{expiry}:{id}`,
 * credential base64 HMAC-SHA1), live at most two hours and never outlive
 * the consultation, are fresh on every welcome; after the end none are
 * issued.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { IceServer } from "../../worker/protocol.ts";
import type { Meta } from "../../worker/storage-schema.ts";
import { readConfig } from "../../worker/config.ts";
import type { Env } from "../../worker/env.ts";
import { iceServersFor, TURN_CREDENTIAL_MAX_MS } from "../../worker/turn.ts";
import { admittedPair, connect, createConsultation, editStorage, join, knockingPair } from "./helpers.ts";

async function hmacSha1Base64(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  return btoa(String.fromCharCode(...mac));
}

function turnOf(servers: IceServer[]): IceServer {
  const turn = servers.find((s) => [s.urls].flat().some((url) => url.startsWith("turn:") || url.startsWith("turns:")));
  if (!turn) throw new Error(`no TURN server in ${JSON.stringify(servers)}`);
  return turn;
}

describe("TURN credentials", () => {
  it("the host's welcome carries TURN credentials verifiable with the secret", async () => {
    const { id, hostToken, expiresAt } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    const { you, iceServers } = await host.next("welcome");
    const turn = turnOf(iceServers);
    expect([turn.urls].flat()).toEqual(env.TURN_URLS!.split(","));
    const [expiry, participantId] = turn.username!.split(":");
    expect(participantId).toBe(you.id);
    expect(Number(expiry) * 1000).toBeLessThanOrEqual(Date.parse(expiresAt));
    expect(Number(expiry) * 1000).toBeGreaterThan(Date.now());
    expect(turn.credential).toBe(await hmacSha1Base64("test-turn-secret", turn.username!));
  });

  it("a 24-hour consultation's welcome carries a credential of at most two hours, not of 24", async () => {
    const { id, hostToken } = await createConsultation({ invitee: { name: "Ola" }, ttlSeconds: 86400 });
    const before = Date.now();
    const host = await connect(id, { token: hostToken });
    const turn = turnOf((await host.next("welcome")).iceServers);
    const expiry = Number(turn.username!.split(":")[0]) * 1000;
    expect(expiry).toBeLessThanOrEqual(Date.now() + TURN_CREDENTIAL_MAX_MS);
    expect(expiry).toBeGreaterThan(before + TURN_CREDENTIAL_MAX_MS - 60_000);
    expect(TURN_CREDENTIAL_MAX_MS).toBeLessThanOrEqual(2 * 3600 * 1000);
  });

  it("a later welcome carries a fresh credential: new username, new expiry, new HMAC", async () => {
    const config = readConfig(env as Env);
    const start = Date.now();
    const expiresAt = start + 24 * 3600 * 1000;
    const first = turnOf(await iceServersFor(env as Env, config, "p1", expiresAt, start));
    const hourLater = turnOf(await iceServersFor(env as Env, config, "p1", expiresAt, start + 3600 * 1000));
    expect(hourLater.username).not.toBe(first.username);
    expect(Number(hourLater.username!.split(":")[0]) - Number(first.username!.split(":")[0])).toBe(3600);
    expect(hourLater.credential).not.toBe(first.credential);
    expect(hourLater.credential).toBe(await hmacSha1Base64("test-turn-secret", hourLater.username!));
  });

  it("near the consultation's end the credential ends with it, not two hours later", async () => {
    const now = Date.now();
    const expiresAt = now + 30 * 60 * 1000 + 500;
    const turn = turnOf(await iceServersFor(env as Env, readConfig(env as Env), "p1", expiresAt, now));
    expect(Number(turn.username!.split(":")[0])).toBe(Math.floor(expiresAt / 1000));
  });

  it("a guest who reconnects gets a welcome with credentials again, made for that welcome", async () => {
    const { created, guest, welcome } = await admittedPair();
    guest.close();
    const again = await connect(created.id, { resume: guest.resume! });
    const second = await again.next("welcome");
    const turn = turnOf(second.iceServers);
    expect(turn.username!.endsWith(`:${welcome.you.id}`)).toBe(true);
    expect(turn.credential).toBe(await hmacSha1Base64("test-turn-secret", turn.username!));
  });

  it("an admitted guest gets its own credentials, bound to its own id", async () => {
    const { welcome, created } = await admittedPair();
    const turn = turnOf(welcome.iceServers);
    expect(turn.username!.endsWith(`:${welcome.you.id}`)).toBe(true);
    expect(Number(turn.username!.split(":")[0]) * 1000).toBeLessThanOrEqual(Date.parse(created.expiresAt));
    expect(turn.credential).toBe(await hmacSha1Base64("test-turn-secret", turn.username!));
  });

  it("a STUN server is offered too", async () => {
    const { welcome } = await admittedPair();
    expect(welcome.iceServers.some((s) => [s.urls].flat().some((url) => url.startsWith("stun:")))).toBe(true);
  });

  it("the lobby gets no ICE servers, and nothing carrying the TURN secret's output", async () => {
    const { id, hostToken, invite } = await createConsultation();
    const host = await connect(id, { token: hostToken });
    await host.next("welcome");
    const guest = await connect(id, { code: invite.code! });
    const lobby = await guest.next("lobby");
    expect(JSON.stringify(lobby)).not.toMatch(/iceServers|credential|turn:/);
  });

  it("after the end there is no welcome and so no credentials", async () => {
    const { created, host } = await admittedPair();
    host.send({ type: "end" });
    await host.closeEvent();
    const response = await join(created.id, { token: created.hostToken });
    expect([404, 410]).toContain(response.status);
    expect(await response.text()).not.toMatch(/credential|turn:/);
  });

  it("an admission past expiresAt, before the alarm, issues no credentials", async () => {
    const { id, host, guest, participant } = await knockingPair();
    await editStorage(id, async (storage) => {
      const meta = (await storage.get<Meta>("meta"))!;
      await storage.put("meta", { ...meta, expiresAt: Date.now() - 1 });
    });
    host.send({ type: "admit", id: participant.id });
    expect((await guest.next("ended")).reason).toBe("expired");
    expect(guest.messages.some((m) => m.type === "welcome")).toBe(false);
  });
});
