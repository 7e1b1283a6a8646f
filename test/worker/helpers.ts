/**
 * Small typed helpers for the worker tests: partner tokens, the API calls a
 * browser or partner makes, and WebSocket waiting with timeouts that reject.
 */
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { importJWK, SignJWT, type JWTPayload } from "jose";
import type {
  CreateConsultationRequest,
  CreateConsultationResponse,
  JoinResponse,
  ServerMessage,
} from "../../worker/protocol.ts";

export const ORIGIN = "https://samtale.test";
export const PARTNER_ORIGIN = "https://partner.example";
export const ISSUER = "https://partner.example";

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;
const worker = exports.default as unknown as { fetch: Fetch };

/** A request to the worker as if it came to its own origin. */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(`${ORIGIN}${path}`, init);
}

let privateKey: Promise<CryptoKey> | undefined;

/** Signs a partner token with the key the worker trusts (AUTH_JWKS). */
export async function partnerToken(claims: JWTPayload & { role?: string } = {}, options: { lifetime?: string } = {}) {
  privateKey ??= importJWK(JSON.parse(env.TEST_SIGNING_JWK), "ES256") as Promise<CryptoKey>;
  const { sub = `user-${crypto.randomUUID()}`, ...rest } = claims;
  return new SignJWT(rest)
    .setProtectedHeader({ alg: "ES256", kid: "partner-1" })
    .setIssuer(ISSUER)
    .setAudience("samtale")
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(options.lifetime ?? "10m")
    .sign(await privateKey);
}

export const practitionerToken = (sub = `practitioner-${crypto.randomUUID()}`, name = "Kari Fysio") =>
  partnerToken({ sub, name, role: "practitioner" });

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

export interface Created extends CreateConsultationResponse {
  hostToken: string;
}

/** Creates a consultation as a fresh practitioner; a guest invite by default. */
export async function createConsultation(body: CreateConsultationRequest = { invitee: { name: "Ola" } }): Promise<Created> {
  const hostToken = await practitionerToken();
  const response = await postJson("/api/v1/consultations", body, bearer(hostToken));
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  return { ...((await response.json()) as CreateConsultationResponse), hostToken };
}

export async function join(id: string, how: { token: string } | { code: string } | { resume: string }): Promise<Response> {
  return "token" in how
    ? postJson(`/api/v1/consultations/${id}/join`, {}, bearer(how.token))
    : postJson(`/api/v1/consultations/${id}/join`, how);
}

export async function ticketFor(id: string, how: Parameters<typeof join>[1]): Promise<JoinResponse> {
  const response = await join(id, how);
  if (response.status !== 200) throw new Error(`join: ${response.status} ${await response.text()}`);
  return (await response.json()) as JoinResponse;
}

export function upgrade(id: string, ticket: string | null, origin: string | null = ORIGIN): Promise<Response> {
  const headers: Record<string, string> = { upgrade: "websocket" };
  if (origin) headers.origin = origin;
  const query = ticket === null ? "" : `?ticket=${encodeURIComponent(ticket)}`;
  return api(`/api/v1/consultations/${id}/ws${query}`, { headers });
}

/**
 * An accepted client socket that queues what it receives, so a test can
 * await messages in order without racing the listener.
 */
export class TestSocket {
  readonly messages: ServerMessage[] = [];
  /** Text frames that are not JSON (the `pong` auto-response). */
  readonly texts: string[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (event) => {
      const data = event.data as string;
      if (data.startsWith("{")) this.messages.push(JSON.parse(data) as ServerMessage);
      else this.texts.push(data);
      this.wake();
    });
    ws.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.wake();
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === "string" ? message : JSON.stringify(message));
  }

  /** The next message of `type` (earlier ones of other types are skipped). */
  next<T extends ServerMessage["type"]>(type: T, timeoutMs = 2000): Promise<Extract<ServerMessage, { type: T }>> {
    return this.nextWhere(type, () => true, timeoutMs);
  }

  /** The next message of `type` that `matches` (earlier ones are skipped). */
  async nextWhere<T extends ServerMessage["type"]>(
    type: T,
    matches: (message: Extract<ServerMessage, { type: T }>) => boolean,
    timeoutMs = 2000,
  ): Promise<Extract<ServerMessage, { type: T }>> {
    const found = await this.until(() => {
      const index = this.messages.findIndex((m) => m.type === type && matches(m as Extract<ServerMessage, { type: T }>));
      return index === -1 ? undefined : this.messages.splice(0, index + 1).at(-1);
    }, `a matching "${type}" message`, timeoutMs);
    return found as Extract<ServerMessage, { type: T }>;
  }

  /** The next non-JSON text frame. */
  nextText(timeoutMs = 2000): Promise<string> {
    return this.until(() => this.texts.shift(), "a text frame", timeoutMs);
  }

  /** Resolves with the close event; rejects if it does not come in time. */
  closeEvent(timeoutMs = 2000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, "the socket to close", timeoutMs);
  }

  /** Lets in-flight messages arrive, then says whether any of `type` came. */
  async received(type: ServerMessage["type"], settleMs = 150): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    return this.messages.some((m) => m.type === type);
  }

  close(): void {
    this.ws.close(1000, "bye");
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private until<T>(probe: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        const value = probe();
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        } else {
          this.waiters.push(check);
        }
      };
      check();
    });
  }
}

/** Joins and opens the socket in one step. */
export async function connect(id: string, how: Parameters<typeof join>[1]): Promise<TestSocket & { resume?: string }> {
  const { ticket, resume } = await ticketFor(id, how);
  const response = await upgrade(id, ticket);
  if (response.status !== 101 || !response.webSocket) throw new Error(`upgrade: ${response.status} ${await response.text()}`);
  return Object.assign(new TestSocket(response.webSocket), { resume });
}

/** The consultation's Durable Object, for runInDurableObject and friends. */
export function stubOf(id: string) {
  return env.CONSULTATIONS.get(env.CONSULTATIONS.idFromString(id));
}

/**
 * Changes what a consultation has stored (to move time, say), then evicts
 * its object: the object keeps its records in memory, so the change counts
 * from the next wake-up, which reads storage afresh as after hibernation.
 */
export async function editStorage(id: string, edit: (storage: DurableObjectStorage) => Promise<void>): Promise<void> {
  await runInDurableObject(stubOf(id), (_instance, state) => edit(state.storage));
  await evictDurableObject(stubOf(id));
}

/** Resolves after `ms`; for letting in-flight frames arrive. */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts the contract's error body, `{error, message}` and nothing else, and returns its code. */
export async function errorCode(response: Response): Promise<string> {
  const body = (await response.json()) as Record<string, unknown>;
  const keys = Object.keys(body).sort().join(",");
  if (keys !== "error,message" || typeof body.message !== "string") throw new Error(`not an error body: ${JSON.stringify(body)}`);
  return body.error as string;
}

/** A guest who redeemed a fresh group invite and waits in the lobby. */
export async function lobbyGuest(created: Created, name = "Guest") {
  const response = await postJson(`/api/v1/consultations/${created.id}/invites`, { name }, bearer(created.hostToken));
  if (response.status !== 201) throw new Error(`invite: ${response.status} ${await response.text()}`);
  const { invite } = (await response.json()) as { invite: { code: string } };
  const socket = await connect(created.id, { code: invite.code });
  const lobby = await socket.next("lobby");
  return Object.assign(socket, { id: lobby.you.id });
}

/**
 * A group consultation with the host connected and `guests` guests admitted
 * (each guest's queue is drained of the peer-joined messages of later ones).
 */
export async function admittedGroup(guests: number, maxParticipants = 5) {
  const created = await createConsultation({ mode: "group", maxParticipants, invitee: { name: "Guest 0" } });
  const host = await connect(created.id, { token: created.hostToken });
  const hostWelcome = await host.next("welcome");
  const admitted: (TestSocket & { id: string; resume?: string })[] = [];
  for (let i = 0; i < guests; i++) {
    const socket =
      i === 0 ? await connect(created.id, { code: created.invite.code! }) : await lobbyGuest(created, `Guest ${i}`);
    const { participant } = await host.next("knock");
    host.send({ type: "admit", id: participant.id });
    await socket.next("welcome");
    await host.nextWhere("peer-joined", (m) => m.participant.id === participant.id);
    for (const earlier of admitted) await earlier.nextWhere("peer-joined", (m) => m.participant.id === participant.id);
    admitted.push(Object.assign(socket, { id: participant.id }));
  }
  return { created, host, hostId: hostWelcome.you.id, guests: admitted };
}

/** A pair consultation with the host connected and the guest knocking in the lobby. */
export async function knockingPair() {
  const created = await createConsultation();
  const host = await connect(created.id, { token: created.hostToken });
  await host.next("welcome");
  const guest = await connect(created.id, { code: created.invite.code! });
  const { participant } = await host.next("knock");
  return { ...created, created, host, guest, participant };
}

/** A pair consultation with the host connected and the guest admitted. */
export async function admittedPair() {
  const { created, host, guest, participant } = await knockingPair();
  host.send({ type: "admit", id: participant.id });
  const welcome = await guest.next("welcome");
  const joined = await host.next("peer-joined");
  return { created, host, guest, guestId: participant.id, hostId: welcome.participants.find((p) => p.role === "host")!.id, welcome, joined };
}

/** A known invitee (a partner token, not a code) whom the host has denied. */
export async function deniedKnownInvitee() {
  const sub = `client-${crypto.randomUUID()}`;
  const { id, hostToken } = await createConsultation({ invitee: { sub } });
  const host = await connect(id, { token: hostToken });
  await host.next("welcome");
  const token = await partnerToken({ sub, role: "client" });
  const guest = await connect(id, { token });
  host.send({ type: "deny", id: (await host.next("knock")).participant.id });
  await guest.closeEvent();
  return { id, token };
}
