import { DurableObject } from "cloudflare:workers";
import type { CreateInput, InviteeInput, JoinInput } from "./api-requests.ts";
import { readConfig } from "./config.ts";
import { ConsultationEvents } from "./consultation-events.ts";
import { ConsultationRecords } from "./consultation-records.ts";
import { Connections, send, sendError } from "./connections.ts";
import { formatCredential, newMemberId, splitCredential } from "./credentials.ts";
import type { Env } from "./env.ts";
import { ApiError, fail, ok, type Outcome } from "./errors.ts";
import { identityKey, type Identity } from "./identity.ts";
import {
  CloseCode,
  type ClientMessage,
  type ConsultationView,
  type EndReason,
  type Invite,
  type JoinResponse,
  type Participant,
  type Role,
  type ServerMessage,
} from "./protocol.ts";
import { errorResponse } from "./responses.ts";
import { awayDeadline, awayPastGrace, earliestAwayDeadline } from "./peer-grace.ts";
import { randomSecret, sameDigest, sha256 } from "./secrets.ts";
import { policyOf, toParticipant, type Member, type Meta } from "./storage-schema.ts";
import { iceServersFor, turnOnly } from "./turn.ts";

const TICKET_TTL_MS = 60_000;
/** Unused tickets a member may hold at once; older ones are dropped. */
const TICKETS_KEPT = 4;

const DEFAULT_NAMES: Record<Role, string> = { host: "Practitioner", guest: "Guest" };

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
  private readonly connections: Connections;
  /** The open consultation, or undefined before create() and after the end. */
  private records: ConsultationRecords | undefined;
  /** The audit trail and the partner's webhooks, told as things happen. */
  private readonly events = new ConsultationEvents(this.ctx, this.env);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.connections = new Connections(ctx);
    // Once per wake-up: nothing is delivered until the records are in memory.
    void ctx.blockConcurrencyWhile(async () => {
      this.records = await ConsultationRecords.load(ctx.storage);
      if (this.records) await this.recoverLostSockets(this.records);
    });
  }

  // -------------------------------------------------------------------------
  // RPC from the worker. Identities arrive already verified by the worker.

  async create(input: CreateInput & { host: Identity; origin: string }): Promise<Outcome<{ expiresAt: number; invite: Invite }>> {
    const code = await newInviteCode();
    if (this.records) return fail("invalid_request", "This consultation already exists.");
    if (input.invitee.sub !== undefined && inviteeKey(input.host, input.invitee.sub) === identityKey(input.host)) {
      return alreadyInvited();
    }
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
      expiresAt: Date.now() + input.ttlSeconds * 1000,
      hostId: host.id,
      relayOnly: input.relayOnly,
    };
    const records = (this.records = ConsultationRecords.fresh(this.ctx.storage, meta, host));
    await records.saveMeta();
    await records.saveMember(host);
    await this.events.record({ type: "created", issuer: input.host.issuer, host });
    const invite = await this.addInvitee(records, input.invitee, input.host, input.origin, code);
    await this.scheduleAlarm(records);
    return ok({ expiresAt: meta.expiresAt, invite });
  }

  async invite(host: Identity, invitee: InviteeInput, origin: string): Promise<Outcome<Invite>> {
    const code = await newInviteCode();
    const records = await this.openConsultation();
    if (!records) return notFound();
    const { meta } = records;
    if (!this.isHost(records, host)) return fail("forbidden", "Only the host may invite.");
    if (meta.mode === "pair") return fail("forbidden", "A pair is fixed when it is created; use group mode to invite more.");
    // One member per identity, whatever became of it (waiting, admitted,
    // denied): a token join must find exactly one member, never pick one.
    // Checked and added without an await between, so parallel invites of one
    // `sub` add it once.
    if (invitee.sub !== undefined && records.memberWithIdentity(inviteeKey(host, invitee.sub))) return alreadyInvited();
    // Denied and removed invitees free their place; everyone else, waiting or not, holds one.
    const places = [...records.members.values()].filter((m) => !isShutOut(m)).length;
    if (places >= meta.maxParticipants) return fail("full", `This consultation holds at most ${meta.maxParticipants} people.`);
    return ok(await this.addInvitee(records, invitee, host, origin, code));
  }

  async join(who: { identity: Identity } | JoinInput): Promise<Outcome<JoinResponse>> {
    // Everything that needs crypto.subtle happens first; from the check of a
    // code or resume token to its use in memory nothing is awaited, so a
    // code redeemed twice in parallel is redeemed exactly once.
    const ticketSecret = randomSecret(24);
    const ticketDigest = await sha256(ticketSecret);
    const resumeSecret = randomSecret(24);
    const resumeDigest = await sha256(resumeSecret);
    const codeDigest = "code" in who ? await sha256(who.code) : undefined;
    const resumeParts = "resume" in who ? splitCredential(who.resume) : null;
    const presentedResumeDigest = resumeParts ? await sha256(resumeParts.secret) : undefined;

    const records = await this.openConsultation();
    if (!records) return notFound();

    let member: Member | undefined;
    if ("identity" in who) {
      member = records.memberWithIdentity(identityKey(who.identity));
      if (!member) return fail("forbidden", "You are not invited to this consultation.");
    } else if (codeDigest) {
      member = records.memberWithCode(codeDigest);
      if (!member) return fail("forbidden", "This invite code is not valid for this consultation.");
      if (member.redeemed) return fail("code_used", "This invite code has already been used.");
    } else {
      member = resumeParts ? records.members.get(resumeParts.memberId) : undefined;
      if (!member?.resumeDigest || !presentedResumeDigest || !sameDigest(member.resumeDigest, presentedResumeDigest)) {
        return fail("unauthorized", "This resume token is not valid.");
      }
    }
    if (isShutOut(member)) return fail("forbidden", SHUT_OUT[member.status]);

    // Past every refusal: from here each change to the member is written.
    let resume: string | undefined;
    if ("identity" in who) {
      // The token's name wins over the invite's, as the contract says.
      member.name = who.identity.name ?? member.invitedName ?? DEFAULT_NAMES[member.role];
    } else {
      // A guest's resume rotates on every use: the one presented dies here,
      // in the same synchronous step that checked it, so of two joins with
      // one resume exactly one succeeds, and a copied resume is worthless
      // once its owner has used it.
      if (codeDigest) member.redeemed = true;
      member.resumeDigest = resumeDigest;
      resume = formatCredential(member.id, resumeSecret);
    }
    const now = Date.now();
    const expiresAt = Math.min(now + TICKET_TTL_MS, records.meta.expiresAt);
    member.tickets = [...member.tickets.filter((t) => t.expiresAt > now), { digest: ticketDigest, expiresAt }].slice(
      -TICKETS_KEPT,
    );
    await records.saveMember(member);
    return ok({
      ticket: formatCredential(member.id, ticketSecret),
      ...(resume ? { resume } : {}),
      expiresAt: new Date(expiresAt).toISOString(),
    });
  }

  async view(identity: Identity): Promise<Outcome<ConsultationView>> {
    const records = await this.openConsultation();
    if (!records) return notFound();
    const caller = records.memberWithIdentity(identityKey(identity));
    if (!caller || isShutOut(caller)) return fail("forbidden", "You are not part of this consultation.");
    return ok({
      id: this.ctx.id.toString(),
      state: "open",
      expiresAt: new Date(records.meta.expiresAt).toISOString(),
      // The roster is for those the host let in: an invitee still waiting (or
      // never let in) learns that the consultation is open, not who is in it,
      // just as a lobby socket receives no roster.
      participants: caller.status === "admitted" ? this.present(records) : [],
      policy: policyOf(records.meta, this.config.relayOnly),
    });
  }

  async end(identity: Identity): Promise<Outcome<null>> {
    const records = await this.openConsultation();
    if (!records) return notFound();
    if (!this.isHost(records, identity)) return fail("forbidden", "Only the host may end the consultation.");
    await this.finish("host-ended");
    return ok(null);
  }

  /** `DELETE …/participants/:participantId`: the same as the host's `remove` message. */
  async remove(identity: Identity, participantId: string): Promise<Outcome<null>> {
    const records = await this.openConsultation();
    if (!records) return notFound();
    if (!this.isHost(records, identity)) return fail("forbidden", "Only the host may remove a participant.");
    return this.removeMember(records, participantId);
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

    const records = await this.openConsultation();
    if (!records) throw new ApiError("not_found", "This consultation does not exist or has ended.");
    const member = records.members.get(credential.memberId);
    const now = Date.now();
    const ticket = member?.tickets.find((t) => sameDigest(t.digest, presented));
    if (!member || !ticket || ticket.expiresAt <= now) {
      throw new ApiError("unauthorized", "This ticket is not valid, has expired or was already used.");
    }
    // Single use: gone before the socket is even accepted.
    member.tickets = member.tickets.filter((t) => t !== ticket && t.expiresAt > now);
    await records.saveMember(member);
    if (isShutOut(member)) throw new ApiError("forbidden", SHUT_OUT[member.status]);

    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    // A newer connection replaces an older one of the same participant.
    const { replaced } = this.connections.accept(server, member.id);
    await this.greet(records, server, member, !replaced);
    return new Response(null, { status: 101, webSocket: client });
  }

  /** What a fresh socket hears first, and what the others hear about it. */
  private async greet(records: ConsultationRecords, socket: WebSocket, member: Member, firstSocket: boolean): Promise<void> {
    const { meta } = records;
    if (member.status !== "admitted") {
      send(socket, { type: "lobby", you: toParticipant(member), hostName: records.host.name });
      if (firstSocket) this.connections.sendToMember(meta.hostId, { type: "knock", participant: toParticipant(member) });
      if (firstSocket) await this.events.record({ type: "knocked", participant: member });
      return;
    }
    // Back within the grace: still in the call, so no peer-joined and no
    // `joined` in the audit, only peer-back. Back after it, with the alarm
    // not yet run (alarms may be late): they left, and now join again.
    const wasAway = member.awaySince !== undefined;
    const backInTime = wasAway && Date.now() < awayDeadline(member, this.config.peerGraceSeconds)!;
    if (wasAway) {
      delete member.awaySince;
      await records.saveMember(member);
      if (!backInTime) await this.left(records, member);
    }
    const hostBack = member.id === meta.hostId && meta.hostAwaySince !== undefined;
    if (hostBack) {
      delete meta.hostAwaySince;
      await records.saveMeta();
    }
    if (wasAway || hostBack) await this.scheduleAlarm(records);
    if (!member.inCall) {
      member.inCall = true;
      await records.saveMember(member);
    }
    await this.welcome(records, socket, member);
    if (member.id === meta.hostId) {
      // The host hears of everyone already waiting.
      for (const waiting of this.waiting(records)) send(socket, { type: "knock", participant: toParticipant(waiting) });
    }
    if (!firstSocket) return;
    if (backInTime) return this.broadcastAdmitted(records, { type: "peer-back", id: member.id }, member.id);
    this.broadcastAdmitted(records, { type: "peer-joined", participant: toParticipant(member) }, member.id);
    await this.events.record({ type: "joined", participant: member });
  }

  private async welcome(records: ConsultationRecords, socket: WebSocket, member: Member): Promise<void> {
    const { meta } = records;
    const policy = policyOf(meta, this.config.relayOnly);
    const iceServers = await iceServersFor(this.env, this.config, member.id, meta.expiresAt);
    send(socket, {
      type: "welcome",
      you: toParticipant(member),
      participants: this.present(records),
      iceServers: policy.relayOnly ? turnOnly(iceServers) : iceServers,
      policy,
      expiresAt: new Date(meta.expiresAt).toISOString(),
      away: [...records.members.values()].filter((m) => m.status === "admitted" && m.awaySince !== undefined).map((m) => m.id),
    });
  }

  // -------------------------------------------------------------------------
  // Hibernatable WebSocket events.

  override webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): void | Promise<void> {
    const message = this.connections.receive(socket, frame);
    if (!message) return;
    const records = this.records;
    // The hot path stays synchronous: a signal in an open consultation is
    // relayed within this event, with no promise for the runtime to await.
    if (message.type === "signal" && records && Date.now() < records.meta.expiresAt) {
      const sender = records.members.get(this.connections.memberOf(socket));
      if (sender) this.relaySignal(records, sender, message.to, message.data, socket);
      return;
    }
    return this.handleCommand(socket, message);
  }

  private async handleCommand(socket: WebSocket, message: ClientMessage): Promise<void> {
    const records = await this.openConsultation();
    const sender = records?.members.get(this.connections.memberOf(socket));
    if (!records || !sender) return; // ended meanwhile: its sockets are closing
    switch (message.type) {
      case "signal":
        return this.relaySignal(records, sender, message.to, message.data, socket);
      case "admit":
      case "deny":
      case "remove":
      case "end":
        if (sender.id !== records.meta.hostId) {
          return sendError(socket, "forbidden", `Only the host may ${message.type === "end" ? "end the consultation" : message.type}.`);
        }
        if (message.type === "end") return this.finish("host-ended");
        if (message.type === "remove") return this.answerRemove(socket, await this.removeMember(records, message.id));
        return message.type === "admit" ? this.admit(records, message.id, socket) : this.deny(records, message.id, socket);
      default:
        return assertNever(message);
    }
  }

  /** The hot path: memory only, no storage. */
  private relaySignal(records: ConsultationRecords, sender: Member, to: string, data: Record<string, unknown>, socket: WebSocket): void {
    if (sender.status !== "admitted") return sendError(socket, "forbidden", "Wait until the host lets you in.");
    const target = to === sender.id ? undefined : records.members.get(to);
    // An away peer hears nothing until it is back; its `welcome` then starts
    // the exchange afresh, so this is no error worth showing the sender.
    if (target?.status === "admitted" && target.awaySince !== undefined) return;
    const delivered = target?.status === "admitted" && this.connections.sendToMember(target.id, { type: "signal", from: sender.id, data });
    if (!delivered) sendError(socket, "not_found", "No such participant is in the call.");
  }

  private async admit(records: ConsultationRecords, id: string, socket: WebSocket): Promise<void> {
    const member = this.waiting(records).find((m) => m.id === id);
    if (!member) return sendError(socket, "not_found", "Nobody with that id is waiting.");
    member.status = "admitted";
    member.inCall = true;
    await records.saveMember(member);
    for (const guestSocket of this.connections.socketsOf(member.id)) await this.welcome(records, guestSocket, member);
    this.broadcastAdmitted(records, { type: "peer-joined", participant: toParticipant(member) }, member.id);
    await this.events.record({ type: "admitted", participant: member, by: records.meta.hostId });
    await this.events.record({ type: "joined", participant: member });
  }

  private async deny(records: ConsultationRecords, id: string, socket: WebSocket): Promise<void> {
    const member = this.waiting(records).find((m) => m.id === id);
    if (!member) return sendError(socket, "not_found", "Nobody with that id is waiting.");
    member.status = "denied";
    // Outstanding tickets die with the denial; the resume digest stays so a
    // denied guest's resume is recognised and answered `forbidden`.
    member.tickets = [];
    await records.saveMember(member);
    this.connections.closeMember(member.id, CloseCode.denied, "denied by the host");
    this.connections.sendToMember(records.meta.hostId, { type: "lobby-left", id: member.id });
    await this.events.record({ type: "denied", participant: member, by: records.meta.hostId });
  }

  /**
   * Takes a participant out for good, whatever they are now: admitted,
   * waiting, away, gone since, or invited and not yet come. From here on
   * they are like a denied person: no ticket, no place in a group, their
   * resume and token answered `forbidden`.
   */
  private async removeMember(records: ConsultationRecords, id: string): Promise<Outcome<null>> {
    const { meta } = records;
    if (id === meta.hostId) return fail("invalid_request", "The host cannot be removed; end the consultation instead.");
    const member = records.members.get(id);
    if (!member || isShutOut(member)) return fail("not_found", "No participant with that id can be removed.");
    // Who the others still count as here decides what they are told.
    const wasInCall = member.status === "admitted" && this.isInCall(member);
    const wasWaiting = member.status === "invited" && this.connections.isConnected(member.id);
    const wasAdmitted = member.status === "admitted";
    const wasAway = member.awaySince !== undefined;
    member.status = "removed";
    member.tickets = []; // the resume digest stays, so a removed guest's resume is answered `forbidden`
    delete member.awaySince;
    delete member.inCall;
    await records.saveMember(member);
    if (wasAway) await this.scheduleAlarm(records);
    this.connections.dismissMember(member.id, { type: "removed" }, CloseCode.removed, "removed by the host");
    if (wasInCall) this.broadcastAdmitted(records, { type: "peer-left", id: member.id }, member.id);
    if (wasWaiting) this.connections.sendToMember(meta.hostId, { type: "lobby-left", id: member.id });
    await this.events.record({ type: "removed", participant: member, by: meta.hostId });
    // A removal is a departure; the events know whether they were in the call.
    if (wasAdmitted) await this.events.record({ type: "left", participant: member });
    return ok(null);
  }

  private answerRemove(socket: WebSocket, outcome: Outcome<null>): void {
    if (!outcome.ok) sendError(socket, outcome.error.error, outcome.error.message);
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    this.connections.answerClose(socket, code);
    await this.departed(socket, code);
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    // No close code: the connection broke, which is a drop, not a departure.
    await this.departed(socket, undefined);
  }

  /** A socket went away: tell the others if that was the member's last one. */
  private async departed(socket: WebSocket, code: number | undefined): Promise<void> {
    const memberId = this.connections.memberOf(socket);
    if (this.connections.socketsOf(memberId, socket).length > 0) return; // replaced, not gone
    const records = await this.openConsultation();
    const member = records?.members.get(memberId);
    if (!records || !member) return;
    const { meta } = records;
    let reschedule = false;
    if (member.status === "admitted") {
      if (isDeparture(code)) await this.left(records, member);
      else reschedule = await this.away(records, member);
    } else if (member.status === "invited") {
      this.connections.sendToMember(meta.hostId, { type: "lobby-left", id: member.id });
    }
    if (member.id === meta.hostId) {
      // The grace period starts when the host's last socket closes, however it closed.
      meta.hostAwaySince = Date.now();
      await records.saveMeta();
      reschedule = true;
    }
    if (reschedule) await this.scheduleAlarm(records);
  }

  /**
   * An admitted member's connection dropped: still in the call for
   * PEER_GRACE_SECONDS (see peer-grace.ts). False when they already were away.
   */
  private async away(records: ConsultationRecords, member: Member): Promise<boolean> {
    if (member.awaySince !== undefined) return false;
    member.awaySince = Date.now();
    await records.saveMember(member);
    this.broadcastAdmitted(records, { type: "peer-away", id: member.id }, member.id);
    return true;
  }

  /**
   * A wake-up after the runtime died (or restarted) finds no sockets and
   * heard no close: everyone who was in the call dropped at once. They are
   * away from now, as after any drop, so the first to come back is welcomed
   * with the others still listed (their media still flows), each return is
   * a `peer-back`, and whoever never returns leaves after the grace. A
   * wake-up from hibernation keeps its sockets, so it finds nobody here.
   */
  private async recoverLostSockets(records: ConsultationRecords): Promise<void> {
    const { meta } = records;
    const now = Date.now();
    const dropped = [...records.members.values()].filter(
      (m) => m.status === "admitted" && m.inCall && m.awaySince === undefined && !this.connections.isConnected(m.id),
    );
    if (dropped.length === 0) return;
    for (const member of dropped) {
      member.awaySince = now;
      await records.saveMember(member);
      this.broadcastAdmitted(records, { type: "peer-away", id: member.id }, member.id);
    }
    if (dropped.some((m) => m.id === meta.hostId) && meta.hostAwaySince === undefined) {
      meta.hostAwaySince = now;
      await records.saveMeta();
    }
    await this.scheduleAlarm(records);
  }

  /** An admitted member is out of the call: a 1000 close, or the end of the grace away. */
  private async left(records: ConsultationRecords, member: Member): Promise<void> {
    delete member.inCall;
    await records.saveMember(member);
    this.broadcastAdmitted(records, { type: "peer-left", id: member.id }, member.id);
    await this.events.record({ type: "left", participant: member });
  }

  // -------------------------------------------------------------------------
  // The end: by the host, at expiry, or when the host stayed away too long.

  override async alarm(): Promise<void> {
    // Past expiresAt, openConsultation() has already ended it.
    const records = await this.openConsultation();
    if (!records) return;
    const { meta } = records;
    const now = Date.now();
    // Away too long: now they have left. (A member back in time was cleared
    // in greet(), so whoever is still marked here has no socket.)
    for (const member of awayPastGrace(records.members.values(), now, this.config.peerGraceSeconds)) {
      delete member.awaySince;
      await records.saveMember(member);
      await this.left(records, member);
    }
    const hostGone = meta.hostAwaySince !== undefined && !this.connections.isConnected(meta.hostId);
    if (hostGone && now >= this.hostDeadline(meta)!) return this.finish("host-away");
    await this.scheduleAlarm(records);
  }

  private async finish(reason: EndReason): Promise<void> {
    // Forgotten at once, so nothing can join or signal while storage is
    // being deleted; deleted before anyone is told, so a wake-up finds the end.
    // The audit hears of the end first: it reads its own record from storage.
    this.records = undefined;
    await this.events.record({ type: "ended", reason });
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.connections.closeAll({ type: "ended", reason }, CloseCode.ended, reason);
  }

  /** One alarm serves the expiry, the host's grace and the earliest grace of an away member. */
  private async scheduleAlarm(records: ConsultationRecords): Promise<void> {
    const { meta } = records;
    const peerDeadline = earliestAwayDeadline(records.members.values(), this.config.peerGraceSeconds);
    await this.ctx.storage.setAlarm(Math.min(meta.expiresAt, this.hostDeadline(meta) ?? Infinity, peerDeadline ?? Infinity));
  }

  private hostDeadline(meta: Meta): number | undefined {
    return meta.hostAwaySince === undefined ? undefined : meta.hostAwaySince + this.config.hostGraceSeconds * 1000;
  }

  // -------------------------------------------------------------------------
  // Reading state: from memory, see ConsultationRecords.

  /**
   * The consultation's records while it is open. Past `expiresAt` it is
   * over even if the alarm is late (alarms may be): it ends here, so nothing
   * can join, view, signal or get TURN credentials after its expiry.
   */
  private async openConsultation(): Promise<ConsultationRecords | undefined> {
    const records = this.records;
    if (records && Date.now() >= records.meta.expiresAt) {
      await this.finish("expired");
      return undefined;
    }
    return records;
  }

  private isHost(records: ConsultationRecords, identity: Identity): boolean {
    return records.host.identity === identityKey(identity);
  }

  /** Admitted members in the call: who is in the call right now. */
  private present(records: ConsultationRecords): Participant[] {
    return [...records.members.values()].filter((m) => m.status === "admitted" && this.isInCall(m)).map(toParticipant);
  }

  /**
   * Whether an admitted member is in the call: connected, or away within
   * the grace (their media may well still flow).
   */
  private isInCall(member: Member): boolean {
    return this.connections.isConnected(member.id) || member.awaySince !== undefined;
  }

  /** Invited, not yet admitted, and connected: the lobby. */
  private waiting(records: ConsultationRecords): Member[] {
    return [...records.members.values()].filter((m) => m.status === "invited" && this.connections.isConnected(m.id));
  }

  private broadcastAdmitted(records: ConsultationRecords, message: ServerMessage, exceptId: string): void {
    const ids = [...records.members.values()].filter((m) => m.status === "admitted" && m.id !== exceptId).map((m) => m.id);
    this.connections.broadcast(ids, message);
  }

  /**
   * A new invitation, stored before its invite is returned. Known invitees
   * are matched by `sub` under the host's own issuer: the partner platform
   * that vouches for the host names them.
   */
  /** Every invite, the one made at creation included, is told once. */
  private async invited(member: Member, invite: Invite): Promise<Invite> {
    await this.events.record({ type: "invited", participant: member, invite });
    return invite;
  }

  private async addInvitee(
    records: ConsultationRecords,
    invitee: InviteeInput,
    host: Identity,
    origin: string,
    code: InviteCode,
  ): Promise<Invite> {
    const link = `${origin}/join#consultation=${this.ctx.id.toString()}`;
    const expiresAt = new Date(records.meta.expiresAt).toISOString();
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
      member.identity = inviteeKey(host, invitee.sub);
      await records.addMember(member);
      return this.invited(member, { url: link, expiresAt });
    }
    member.redeemed = false;
    await records.addMember(member, code.digest);
    return this.invited(member, { code: code.code, url: `${link}&code=${code.code}`, expiresAt });
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

/** A known invitee's identity: their `sub`, vouched for by the host's own issuer. */
function inviteeKey(host: Identity, sub: string): string {
  return identityKey({ issuer: host.issuer, subject: sub });
}

function alreadyInvited<T>(): Outcome<T> {
  return fail("already_invited", "This person is already part of this consultation (the host, or invited before).");
}

/** Why someone the host turned away gets nothing more: `denied` and `removed` are final. */
const SHUT_OUT = {
  denied: "The host did not admit you to this consultation.",
  removed: "The host removed you from this consultation.",
} as const;

function isShutOut(member: Member): member is Member & { status: keyof typeof SHUT_OUT } {
  return member.status === "denied" || member.status === "removed";
}

/**
 * A close the member meant: 1000 (the element's `leave()`), or the 4008 the
 * server closed a flooding socket with (the element does not come back from
 * it). Anything else, no code included, is a dropped connection.
 */
function isDeparture(code: number | undefined): boolean {
  return code === 1000 || code === CloseCode.policy;
}

function notFound<T>(): Outcome<T> {
  return fail("not_found", "This consultation does not exist or has ended.");
}

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}
