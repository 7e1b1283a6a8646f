import { DurableObject } from "cloudflare:workers";
import type { CreateInput, InviteeInput, JoinInput } from "./api-requests.ts";
import { parseClientMessage } from "./client-messages.ts";
import { readConfig } from "./config.ts";
import { ConsultationEvents } from "./consultation-events.ts";
import type { Env } from "./env.ts";
import { ApiError, fail, ok, type Outcome } from "./errors.ts";
import { FloodGuard, isOversized } from "./flood-guard.ts";
import { identityKey, type Identity } from "./identity.ts";
import {
  codeKey,
  DEFAULT_NAMES,
  memberKey,
  META_KEY,
  newMemberId,
  policyOf,
  splitCredential,
  toParticipant,
  type Member,
  type Meta,
} from "./members.ts";
import {
  CloseCode,
  type ClientMessage,
  type ConsultationView,
  type EndReason,
  type ErrorCode,
  type Invite,
  type JoinResponse,
  type Participant,
  type ServerMessage,
} from "./protocol.ts";
import { errorResponse } from "./responses.ts";
import { randomSecret, sameDigest, sha256 } from "./secrets.ts";
import { iceServersFor } from "./turn.ts";

const TICKET_TTL_MS = 60_000;
/** Unused tickets a member may hold at once; older ones are dropped. */
const TICKETS_KEPT = 4;

/** What each hibernatable socket remembers about itself. */
interface SocketAttachment {
  memberId: string;
}

/**
 * One consultation: its invitations, lobby, signaling relay and end. The id
 * is unguessable and never reused; everything it stores is deleted when it
 * ends, after which every request finds nothing (`not_found`).
 *
 * Invariants kept here:
 * - only `admitted` members receive a roster, signals or ICE servers;
 *   lobby sockets get `lobby` and nothing else;
 * - only the host admits, denies, invites and ends;
 * - `from` on a relayed signal is the sender's own id, set here.
 */
export class Consultation extends DurableObject<Env> {
  private readonly config = readConfig(this.env);
  /** Per-socket flood limits; in memory, see FloodGuard. */
  private readonly guards = new WeakMap<WebSocket, FloodGuard>();
  /** The audit trail and the partner's webhooks, told as things happen. */
  private readonly events = new ConsultationEvents(this.ctx, this.env);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // -------------------------------------------------------------------------
  // RPC from the worker. Identities arrive already verified by the worker.

  async create(input: CreateInput & { host: Identity; origin: string }): Promise<Outcome<{ expiresAt: number; invite: Invite }>> {
    const code = await newInviteCode();
    if (await this.ctx.storage.get(META_KEY)) return fail("invalid_request", "This consultation already exists.");
    const now = Date.now();
    const host: Member = {
      id: newMemberId(),
      name: input.host.name ?? DEFAULT_NAMES.host,
      role: "host",
      verified: "token",
      status: "admitted",
      identity: identityKey(input.host),
      tickets: [],
    };
    const meta: Meta = {
      mode: input.mode,
      maxParticipants: input.maxParticipants,
      chat: input.chat,
      createdAt: now,
      expiresAt: now + input.ttlSeconds * 1000,
      hostId: host.id,
    };
    const { member, invite, entries } = this.newInvitee(input.invitee, meta, input.host, input.origin, code);
    await this.ctx.storage.put({ ...entries, [META_KEY]: meta, [memberKey(host.id)]: host });
    await this.scheduleAlarm(meta);
    await this.events.record({ type: "created", issuer: input.host.issuer, host });
    await this.events.record({ type: "invited", participant: member, invite });
    return ok({ expiresAt: meta.expiresAt, invite });
  }

  async invite(host: Identity, invitee: InviteeInput, origin: string): Promise<Outcome<Invite>> {
    const code = await newInviteCode();
    const meta = await this.meta();
    if (!meta) return gone();
    const members = await this.members();
    if (!this.isHost(meta, members, host)) return fail("forbidden", "Only the host may invite.");
    if (meta.mode === "pair") return fail("forbidden", "A pair is fixed when it is created; use group mode to invite more.");
    // Denied invitees free their place; everyone else, waiting or not, holds one.
    const places = [...members.values()].filter((m) => m.status !== "denied").length;
    if (places >= meta.maxParticipants) return fail("full", `This consultation holds at most ${meta.maxParticipants} people.`);
    const { member, invite, entries } = this.newInvitee(invitee, meta, host, origin, code);
    await this.ctx.storage.put(entries);
    await this.events.record({ type: "invited", participant: member, invite });
    return ok(invite);
  }

  async join(who: { identity: Identity } | JoinInput): Promise<Outcome<JoinResponse>> {
    // Everything that needs crypto.subtle happens before the first storage
    // read: between storage calls the input gate keeps other requests out,
    // so a code redeemed twice in parallel is redeemed exactly once.
    const ticketSecret = randomSecret(24);
    const ticketDigest = await sha256(ticketSecret);
    const resumeSecret = randomSecret(24);
    const resumeDigest = await sha256(resumeSecret);
    const codeDigest = "code" in who ? await sha256(who.code) : undefined;
    const resumeParts = "resume" in who ? splitCredential(who.resume) : null;
    const presentedResumeDigest = resumeParts ? await sha256(resumeParts.secret) : undefined;

    const meta = await this.meta();
    if (!meta) return gone();

    let member: Member | undefined;
    let resume: string | undefined;
    if ("identity" in who) {
      const key = identityKey(who.identity);
      member = [...(await this.members()).values()].find((m) => m.identity === key);
      if (!member) return fail("forbidden", "You are not invited to this consultation.");
      // The token's name wins over the invite's, as the contract says.
      member.name = who.identity.name ?? member.invitedName ?? DEFAULT_NAMES[member.role];
    } else if (codeDigest) {
      const memberId = await this.ctx.storage.get<string>(codeKey(codeDigest));
      member = memberId ? await this.ctx.storage.get<Member>(memberKey(memberId)) : undefined;
      if (!member) return fail("forbidden", "This invite code is not valid for this consultation.");
      if (member.redeemed) return fail("code_used", "This invite code has already been used.");
      member.redeemed = true;
      member.resumeDigest = resumeDigest;
      resume = `${member.id}.${resumeSecret}`;
    } else {
      member = resumeParts ? await this.ctx.storage.get<Member>(memberKey(resumeParts.memberId)) : undefined;
      if (!member?.resumeDigest || !presentedResumeDigest || !sameDigest(member.resumeDigest, presentedResumeDigest)) {
        return fail("unauthorized", "This resume token is not valid.");
      }
    }
    if (member.status === "denied") return fail("forbidden", "The host did not admit you to this consultation.");

    const now = Date.now();
    const expiresAt = Math.min(now + TICKET_TTL_MS, meta.expiresAt);
    member.tickets = [...member.tickets.filter((t) => t.expiresAt > now), { digest: ticketDigest, expiresAt }].slice(
      -TICKETS_KEPT,
    );
    await this.ctx.storage.put(memberKey(member.id), member);
    return ok({
      ticket: `${member.id}.${ticketSecret}`,
      ...(resume ? { resume } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
    });
  }

  async view(identity: Identity): Promise<Outcome<ConsultationView>> {
    const meta = await this.meta();
    if (!meta) return gone();
    const members = await this.members();
    const key = identityKey(identity);
    const caller = [...members.values()].find((m) => m.identity === key);
    if (!caller || caller.status === "denied") return fail("forbidden", "You are not part of this consultation.");
    return ok({
      id: this.ctx.id.toString(),
      state: "open",
      expiresAt: new Date(meta.expiresAt).toISOString(),
      participants: this.present(members),
      policy: policyOf(meta),
    });
  }

  async end(identity: Identity): Promise<Outcome<null>> {
    const meta = await this.meta();
    if (!meta) return gone();
    if (!this.isHost(meta, await this.members(), identity)) return fail("forbidden", "Only the host may end the consultation.");
    await this.finish("host-ended");
    return ok(null);
  }

  // -------------------------------------------------------------------------
  // The WebSocket upgrade. The worker has checked Origin, Upgrade and the
  // ticket's form; here the ticket is consumed.

  override async fetch(request: Request): Promise<Response> {
    try {
      return await this.openSocket(request);
    } catch (error) {
      return errorResponse(error);
    }
  }

  private async openSocket(request: Request): Promise<Response> {
    const credential = splitCredential(new URL(request.url).searchParams.get("ticket") ?? "");
    if (!credential) throw new ApiError("unauthorized", "A valid ticket is required.");
    const presented = await sha256(credential.secret);

    const meta = await this.meta();
    if (!meta) throw new ApiError("not_found", "This consultation does not exist or has ended.");
    const member = await this.ctx.storage.get<Member>(memberKey(credential.memberId));
    const now = Date.now();
    const ticket = member?.tickets.find((t) => sameDigest(t.digest, presented));
    if (!member || !ticket || ticket.expiresAt <= now) {
      throw new ApiError("unauthorized", "This ticket is not valid, has expired or was already used.");
    }
    // Single use: gone before the socket is even accepted.
    member.tickets = member.tickets.filter((t) => t !== ticket && t.expiresAt > now);
    await this.ctx.storage.put(memberKey(member.id), member);
    if (member.status === "denied") throw new ApiError("forbidden", "The host did not admit you to this consultation.");

    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    // A newer connection replaces an older one of the same participant.
    const previous = this.socketsOf(member.id);
    this.ctx.acceptWebSocket(server, [member.id]);
    server.serializeAttachment({ memberId: member.id } satisfies SocketAttachment);
    for (const old of previous) closeQuietly(old, CloseCode.replaced, "replaced by a newer connection");

    await this.greet(server, member, meta, previous.length === 0);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** What a fresh socket hears first, and what the others hear about it. */
  private async greet(socket: WebSocket, member: Member, meta: Meta, firstSocket: boolean): Promise<void> {
    const members = await this.members();
    if (member.status !== "admitted") {
      const hostName = members.get(meta.hostId)?.name ?? DEFAULT_NAMES.host;
      send(socket, { type: "lobby", you: toParticipant(member), hostName });
      if (firstSocket) this.sendToMember(meta.hostId, { type: "knock", participant: toParticipant(member) });
      if (firstSocket) await this.events.record({ type: "knocked", participant: member });
      return;
    }
    if (member.id === meta.hostId && meta.hostAwaySince !== undefined) {
      delete meta.hostAwaySince;
      await this.ctx.storage.put(META_KEY, meta);
      await this.scheduleAlarm(meta);
    }
    await this.welcome(socket, member, meta, members);
    if (member.id === meta.hostId) {
      // The host hears of everyone already waiting.
      for (const waiting of this.waiting(members)) send(socket, { type: "knock", participant: toParticipant(waiting) });
    }
    if (firstSocket) this.broadcastAdmitted(members, { type: "peer-joined", participant: toParticipant(member) }, member.id);
    if (firstSocket) await this.events.record({ type: "joined", participant: member });
  }

  private async welcome(socket: WebSocket, member: Member, meta: Meta, members: Map<string, Member>): Promise<void> {
    send(socket, {
      type: "welcome",
      you: toParticipant(member),
      participants: this.present(members),
      iceServers: await iceServersFor(this.env, this.config, member.id, meta.expiresAt),
      policy: policyOf(meta),
      expiresAt: new Date(meta.expiresAt).toISOString(),
    });
  }

  // -------------------------------------------------------------------------
  // Hibernatable WebSocket events.

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const guard = this.guardOf(socket);
    if (!guard.take()) return this.refuse(socket, guard, "rate_limited", "Too many messages: at most 50 a second.");
    if (isOversized(message)) return this.refuse(socket, guard, "too_large", "Messages may be at most 64 KiB.");
    if (typeof message !== "string") return this.refuse(socket, guard, "invalid_request", "Only JSON text frames are accepted.");

    const parsed = parseClientMessage(message);
    if ("invalid" in parsed) return this.refuse(socket, guard, "invalid_request", parsed.invalid);

    const meta = await this.meta();
    const sender = await this.senderOf(socket);
    if (!meta || !sender) return; // ended meanwhile: its sockets are closing
    await this.handle(parsed, sender, meta, socket);
  }

  private async handle(message: ClientMessage, sender: Member, meta: Meta, socket: WebSocket): Promise<void> {
    switch (message.type) {
      case "signal":
        return this.relaySignal(sender, message.to, message.data, socket);
      case "admit":
      case "deny":
      case "end":
        if (sender.id !== meta.hostId) {
          return sendError(socket, "forbidden", `Only the host may ${message.type === "end" ? "end the consultation" : message.type}.`);
        }
        if (message.type === "end") return this.finish("host-ended");
        return message.type === "admit" ? this.admit(message.id, meta, socket) : this.deny(message.id, meta, socket);
      default:
        return assertNever(message);
    }
  }

  private async relaySignal(sender: Member, to: string, data: Record<string, unknown>, socket: WebSocket): Promise<void> {
    if (sender.status !== "admitted") return sendError(socket, "forbidden", "Wait until the host lets you in.");
    const target = to === sender.id ? undefined : await this.ctx.storage.get<Member>(memberKey(to));
    const targetSockets = target?.status === "admitted" ? this.socketsOf(target.id) : [];
    if (targetSockets.length === 0) return sendError(socket, "not_found", "No such participant is in the call.");
    for (const targetSocket of targetSockets) send(targetSocket, { type: "signal", from: sender.id, data });
  }

  private async admit(id: string, meta: Meta, socket: WebSocket): Promise<void> {
    const members = await this.members();
    const member = this.waiting(members).find((m) => m.id === id);
    if (!member) return sendError(socket, "not_found", "Nobody with that id is waiting.");
    member.status = "admitted";
    await this.ctx.storage.put(memberKey(member.id), member);
    for (const guestSocket of this.socketsOf(member.id)) await this.welcome(guestSocket, member, meta, members);
    this.broadcastAdmitted(members, { type: "peer-joined", participant: toParticipant(member) }, member.id);
    await this.events.record({ type: "admitted", participant: member, by: meta.hostId });
    await this.events.record({ type: "joined", participant: member });
  }

  private async deny(id: string, meta: Meta, socket: WebSocket): Promise<void> {
    const members = await this.members();
    const member = this.waiting(members).find((m) => m.id === id);
    if (!member) return sendError(socket, "not_found", "Nobody with that id is waiting.");
    member.status = "denied";
    // Outstanding tickets die with the denial; the resume digest stays so a
    // denied guest's resume is recognised and answered `forbidden`.
    member.tickets = [];
    await this.ctx.storage.put(memberKey(member.id), member);
    for (const guestSocket of this.socketsOf(member.id)) closeQuietly(guestSocket, CloseCode.denied, "denied by the host");
    this.sendToMember(meta.hostId, { type: "lobby-left", id: member.id });
    await this.events.record({ type: "denied", participant: member, by: meta.hostId });
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    // Complete the closing handshake; the code a client sent may not be one
    // a server may echo (1005, 1006), so answer with a plain 1000 then.
    closeQuietly(socket, code >= 3000 && code < 5000 ? code : 1000, "closed");
    await this.departed(socket);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.departed(socket);
  }

  /** A socket went away: tell the others if that was the member's last one. */
  private async departed(socket: WebSocket): Promise<void> {
    const { memberId } = socket.deserializeAttachment() as SocketAttachment;
    if (this.socketsOf(memberId, socket).length > 0) return; // replaced, not gone
    const meta = await this.meta();
    const member = await this.ctx.storage.get<Member>(memberKey(memberId));
    if (!meta || !member) return;
    if (member.status === "admitted") {
      this.broadcastAdmitted(await this.members(), { type: "peer-left", id: member.id }, member.id);
      // Audit `left` at today's peer-left point. With PEER_GRACE_SECONDS this
      // belongs where peer-left is sent: at once for a 1000 close or a
      // removal, else when the grace runs out; a return in time records nothing.
      await this.events.record({ type: "left", participant: member });
    } else if (member.status === "invited") {
      this.sendToMember(meta.hostId, { type: "lobby-left", id: member.id });
    }
    if (member.id === meta.hostId) {
      // The grace period starts when the host's last socket closes.
      meta.hostAwaySince = Date.now();
      await this.ctx.storage.put(META_KEY, meta);
      await this.scheduleAlarm(meta);
    }
  }

  // -------------------------------------------------------------------------
  // The end: by the host, at expiry, or when the host stayed away too long.

  override async alarm(): Promise<void> {
    // Past expiresAt, meta() has already ended it.
    const meta = await this.meta();
    if (!meta) return;
    const now = Date.now();
    const hostGone = meta.hostAwaySince !== undefined && this.socketsOf(meta.hostId).length === 0;
    if (hostGone && now >= this.hostDeadline(meta)!) return this.finish("host-away");
    await this.scheduleAlarm(meta);
  }

  private async finish(reason: EndReason): Promise<void> {
    await this.events.record({ type: "ended", reason });
    for (const socket of this.ctx.getWebSockets()) {
      send(socket, { type: "ended", reason });
      closeQuietly(socket, CloseCode.ended, reason);
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
  }

  private async scheduleAlarm(meta: Meta): Promise<void> {
    await this.ctx.storage.setAlarm(Math.min(meta.expiresAt, this.hostDeadline(meta) ?? Infinity));
  }

  private hostDeadline(meta: Meta): number | undefined {
    return meta.hostAwaySince === undefined ? undefined : meta.hostAwaySince + this.config.hostGraceSeconds * 1000;
  }

  // -------------------------------------------------------------------------
  // Reading state. Storage has its own cache, so reads after a wake-up and
  // reads in between cost the same and are always current.

  /**
   * The consultation while it is open. Past `expiresAt` it is over even if
   * the alarm is late (alarms may be): it ends here, so nothing can join,
   * view or get TURN credentials for it after its expiry.
   */
  private async meta(): Promise<Meta | undefined> {
    const meta = await this.ctx.storage.get<Meta>(META_KEY);
    if (meta && Date.now() >= meta.expiresAt) {
      await this.finish("expired");
      return undefined;
    }
    return meta;
  }

  private async members(): Promise<Map<string, Member>> {
    const stored = await this.ctx.storage.list<Member>({ prefix: "member:" });
    return new Map([...stored.values()].map((m) => [m.id, m]));
  }

  private async senderOf(socket: WebSocket): Promise<Member | undefined> {
    const { memberId } = socket.deserializeAttachment() as SocketAttachment;
    return this.ctx.storage.get<Member>(memberKey(memberId));
  }

  private isHost(meta: Meta, members: Map<string, Member>, identity: Identity): boolean {
    return members.get(meta.hostId)?.identity === identityKey(identity);
  }

  /** Admitted members with an open socket: who is in the call right now. */
  private present(members: Map<string, Member>): Participant[] {
    return [...members.values()]
      .filter((m) => m.status === "admitted" && this.socketsOf(m.id).length > 0)
      .map(toParticipant);
  }

  /** Invited, not yet admitted, and connected: the lobby. */
  private waiting(members: Map<string, Member>): Member[] {
    return [...members.values()].filter((m) => m.status === "invited" && this.socketsOf(m.id).length > 0);
  }

  private socketsOf(memberId: string, except?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets(memberId).filter((s) => s !== except && s.readyState === WebSocket.OPEN);
  }

  // -------------------------------------------------------------------------
  // Sending.

  private sendToMember(memberId: string, message: ServerMessage): void {
    for (const socket of this.socketsOf(memberId)) send(socket, message);
  }

  private broadcastAdmitted(members: Map<string, Member>, message: ServerMessage, exceptId: string): void {
    for (const member of members.values()) {
      if (member.status === "admitted" && member.id !== exceptId) this.sendToMember(member.id, message);
    }
  }

  private guardOf(socket: WebSocket): FloodGuard {
    let guard = this.guards.get(socket);
    if (!guard) this.guards.set(socket, (guard = new FloodGuard()));
    return guard;
  }

  /** Refuses one message; a socket that keeps on being refused is closed. */
  private refuse(socket: WebSocket, guard: FloodGuard, code: ErrorCode, message: string): void {
    if (guard.strike()) return closeQuietly(socket, CloseCode.policy, "too many refused messages");
    sendError(socket, code, message);
  }

  /**
   * A new invitation, as storage entries to put. Known invitees are matched
   * by `sub` under the host's own issuer: the partner platform that vouches
   * for the host names them. Synchronous, so callers can check capacity and
   * store within one input gate (see join()).
   */
  private newInvitee(
    invitee: InviteeInput,
    meta: Meta,
    host: Identity,
    origin: string,
    code: InviteCode,
  ): { member: Member; invite: Invite; entries: Record<string, unknown> } {
    const link = `${origin}/join#consultation=${this.ctx.id.toString()}`;
    const expiresAt = new Date(meta.expiresAt).toISOString();
    const member: Member = {
      id: newMemberId(),
      name: invitee.name ?? DEFAULT_NAMES.guest,
      role: "guest",
      verified: invitee.sub !== undefined ? "token" : "code",
      status: "invited",
      tickets: [],
      ...(invitee.name ? { invitedName: invitee.name } : {}),
    };
    if (invitee.sub !== undefined) {
      member.identity = identityKey({ issuer: host.issuer, subject: invitee.sub });
      return { member, invite: { url: link, expiresAt }, entries: { [memberKey(member.id)]: member } };
    }
    member.redeemed = false;
    return {
      member,
      invite: { code: code.code, url: `${link}&code=${code.code}`, expiresAt },
      entries: { [memberKey(member.id)]: member, [codeKey(code.digest)]: member.id },
    };
  }
}

/** A one-time invite code (144 random bits) and the digest stored for it. */
interface InviteCode {
  code: string;
  digest: string;
}

async function newInviteCode(): Promise<InviteCode> {
  const code = randomSecret(18);
  return { code, digest: await sha256(code) };
}

function gone<T>(): Outcome<T> {
  return fail("not_found", "This consultation does not exist or has ended.");
}

function send(socket: WebSocket, message: ServerMessage): void {
  try {
    socket.send(JSON.stringify(message));
  } catch {
    // The socket closed meanwhile; its close event tidies up.
  }
}

function sendError(socket: WebSocket, code: ErrorCode, message: string): void {
  send(socket, { type: "error", code, message });
}

function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed.
  }
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
