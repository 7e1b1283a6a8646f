import type { Config } from "./config.ts";
import type { Env } from "./env.ts";
import { describeError, logError } from "./log.ts";
import type { IceServer } from "./protocol.ts";

/**
 * The longest a TURN credential lives. A credential cannot be revoked once
 * handed out, so it is kept short; a participant who stays longer gets a
 * fresh one with every `welcome` (each reconnect brings one), and an ICE
 * session already allocated on the relay keeps its allocation.
 */
export const TURN_CREDENTIAL_MAX_MS = 2 * 60 * 60 * 1000;

/** How long a `welcome` waits for Cloudflare's TURN API before going without. */
export const TURN_API_TIMEOUT_MS = 3000;

/**
 * ICE servers for one admitted participant: STUN always, TURN when the
 * deployment has it. The Durable Object calls this for every `welcome`,
 * only while the consultation is open, so every welcome carries fresh
 * credentials that end at most two hours later and never after the
 * consultation's expiry.
 */
export async function iceServersFor(
  env: Env,
  config: Config,
  participantId: string,
  expiresAt: number,
  now = Date.now(),
): Promise<IceServer[]> {
  const servers: IceServer[] = [{ urls: config.stunUrls }];
  const credentialExpiry = Math.min(expiresAt, now + TURN_CREDENTIAL_MAX_MS);
  if (env.TURN_URLS && env.TURN_SECRET) {
    servers.push(await coturnServer(env.TURN_URLS, env.TURN_SECRET, participantId, credentialExpiry));
  } else if (env.TURN_KEY_ID && env.TURN_KEY_API_TOKEN) {
    servers.push(...(await cloudflareTurnServers(env.TURN_KEY_ID, env.TURN_KEY_API_TOKEN, credentialExpiry, now)));
  }
  return servers;
}

/**
 * Only the TURN relays of `servers` (`turn:` and `turns:` URLs), for a
 * relay-only consultation: no STUN, so no server-reflexive address is even
 * gathered. Cloudflare's TURN API answers a STUN URL too; it goes here.
 */
export function turnOnly(servers: IceServer[]): IceServer[] {
  return servers.flatMap((server) => {
    const urls = [server.urls].flat().filter((url) => /^turns?:/i.test(url.trim()));
    return urls.length ? [{ ...server, urls }] : [];
  });
}

/**
 * coturn's `use-auth-secret` (the TURN REST API draft): the username is
 * `{unix expiry}:{participant id}`, the credential base64(HMAC-SHA1(secret,
 * username)). coturn refuses it once the expiry has passed.
 */
export async function coturnServer(
  urls: string,
  secret: string,
  participantId: string,
  expiresAt: number,
): Promise<IceServer> {
  const username = `${Math.floor(expiresAt / 1000)}:${participantId}`;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-1" }, false, [
    "sign",
  ]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(username));
  return {
    urls: urls.split(",").map((url) => url.trim()).filter(Boolean),
    username,
    credential: btoa(String.fromCharCode(...new Uint8Array(mac))),
  };
}

/** Cloudflare's TURN service mints credentials through its API. */
async function cloudflareTurnServers(keyId: string, apiToken: string, expiresAt: number, now: number): Promise<IceServer[]> {
  // Rounded down, so the credential never outlives `expiresAt`.
  const ttl = Math.max(1, Math.floor((expiresAt - now) / 1000));
  try {
    const response = await fetch(
      `https://rtc.live.cloudflare.com/v1/turn/keys/${encodeURIComponent(keyId)}/credentials/generate-ice-servers`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
        body: JSON.stringify({ ttl }),
        // A slow API must not hold the welcome, and so the call, hostage.
        signal: AbortSignal.timeout(TURN_API_TIMEOUT_MS),
      },
    );
    if (!response.ok) throw new Error(`TURN service answered ${response.status}`);
    const { iceServers } = (await response.json()) as { iceServers?: IceServer[] | IceServer };
    if (!iceServers) throw new Error("TURN service sent no iceServers");
    return Array.isArray(iceServers) ? iceServers : [iceServers];
  } catch (error) {
    // The call still works directly or through STUN; a missing relay is
    // better than no call at all. A timeout lands here too.
    logError("turn.unavailable", { error: describeError(error) });
    return [];
  }
}
