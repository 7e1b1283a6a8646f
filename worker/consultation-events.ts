import { openAuditTrail, type NewAuditEvent } from "./audit-trail.ts";
import type { Env } from "./env.ts";
import { subjectOfKey } from "./identity.ts";
import { describeError, log, logError } from "./log.ts";
import type { AuditEventType, AuditParticipant, EndReason, Invite, Participant, WebhookBody, WebhookType } from "./protocol.ts";
import { produceWebhook } from "./webhooks.ts";

/**
 * What happens in a consultation, told to the audit trail and the partner's
 * webhooks by one call: `events.record({type: "admitted", …})`.
 *
 * Best-effort from the call's point of view: the D1 write and the queue
 * send run after the caller goes on (ctx.waitUntil), so a slow or failing
 * D1 or queue never delays or breaks a call; a failure is logged as a
 * structured line. Writes of one object are chained, so its events reach
 * the audit in the order they happened.
 */

/** A member as the consultation keeps it; `identity` is its identityKey(). */
type Person = Participant & { identity?: string };

export type CallEvent =
  | { type: "created"; issuer: string; host: Person }
  | { type: "invited"; participant: Person; invite: Invite }
  | { type: "knocked"; participant: Person }
  | { type: "admitted" | "denied" | "removed"; participant: Person; by: string }
  | { type: "joined" | "left"; participant: Person }
  | { type: "ended"; reason: EndReason };

/**
 * What the object remembers to tell events right (storage key
 * `call-record`, deleted with everything else at the end): the issuer whose
 * chain it writes, who is in the call now (so `joined` and `left` come once
 * per entry and departure), and when two people first were in it together.
 */
interface CallRecord {
  issuer: string;
  hostId: string;
  inCall: string[];
  firstTogetherAt?: number;
}

const RECORD_KEY = "call-record";

const WEBHOOK_TYPES: Record<AuditEventType, WebhookType> = {
  created: "consultation.created",
  invited: "invite.created",
  knocked: "participant.knocked",
  admitted: "participant.admitted",
  denied: "participant.denied",
  removed: "participant.removed",
  joined: "participant.joined",
  left: "participant.left",
  ended: "consultation.ended",
};

export class ConsultationEvents {
  private auditWrites: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly env: Env,
  ) {}

  async record(event: CallEvent): Promise<void> {
    const at = Date.now();
    // The operator's view of a consultation's life: its id and why it ended, nobody in it.
    if (event.type === "created") log("consultation.created", { consultation: this.ctx.id.toString() });
    if (event.type === "ended") log("consultation.ended", { consultation: this.ctx.id.toString(), reason: event.reason });
    const record = await this.update(event, at);
    if (!record) return;
    const consultation = this.ctx.id.toString();
    const participant = "participant" in event ? audited(event.participant) : "host" in event ? audited(event.host) : undefined;
    const audit: NewAuditEvent = { at, consultation, type: event.type, ...(participant ? { participant } : {}) };
    if ("by" in event) audit.by = event.by;
    if (event.type === "ended") {
      audit.reason = event.reason;
      if (event.reason === "host-ended") audit.by = record.hostId;
    }
    this.ctx.waitUntil((this.auditWrites = this.auditWrites.then(() => this.writeAudit(record.issuer, audit))));
    this.ctx.waitUntil(this.sendWebhook(event, audit, record));
  }

  /** Keeps the call record; null when the event is not one to tell. */
  private async update(event: CallEvent, at: number): Promise<CallRecord | null> {
    if (event.type === "created") {
      const record: CallRecord = { issuer: event.issuer, hostId: event.host.id, inCall: [] };
      await this.ctx.storage.put(RECORD_KEY, record);
      return record;
    }
    // A consultation created before the audit existed has nothing to write to.
    const record = await this.ctx.storage.get<CallRecord>(RECORD_KEY);
    if (!record) return null;
    if (event.type === "joined") {
      if (record.inCall.includes(event.participant.id)) return null; // a return within the grace, or a replaced socket
      record.inCall.push(event.participant.id);
      if (record.inCall.length >= 2) record.firstTogetherAt ??= at;
      await this.ctx.storage.put(RECORD_KEY, record);
    } else if (event.type === "left") {
      if (!record.inCall.includes(event.participant.id)) return null;
      record.inCall = record.inCall.filter((id) => id !== event.participant.id);
      await this.ctx.storage.put(RECORD_KEY, record);
    }
    return record;
  }

  private async writeAudit(issuer: string, event: NewAuditEvent): Promise<void> {
    try {
      const trail = await openAuditTrail(this.env);
      await trail?.append(issuer, event);
    } catch (error) {
      logError("audit.write_failed", { consultation: event.consultation, type: event.type, error: describeError(error) });
    }
  }

  private async sendWebhook(event: CallEvent, audit: NewAuditEvent, record: CallRecord): Promise<void> {
    const data: WebhookBody["data"] = { consultation: audit.consultation };
    if (audit.participant) data.participant = { ...audit.participant, name: audit.participant.name ?? "" };
    if (event.type === "invited") data.invite = event.invite;
    if (event.type === "ended") {
      data.reason = event.reason;
      data.durationSeconds = record.firstTogetherAt === undefined ? 0 : Math.round((audit.at - record.firstTogetherAt) / 1000);
    }
    try {
      await produceWebhook(this.env, { type: WEBHOOK_TYPES[event.type], timestamp: new Date(audit.at).toISOString(), data });
    } catch (error) {
      logError("webhook.enqueue_failed", { consultation: audit.consultation, type: event.type, error: describeError(error) });
    }
  }
}

/** Only what the audit may hold about a person: no codes, tickets or digests of them. */
function audited(person: Person): AuditParticipant & { name: string } {
  const participant: AuditParticipant & { name: string } = {
    id: person.id,
    name: person.name,
    role: person.role,
    verified: person.verified,
  };
  if (person.identity) participant.sub = subjectOfKey(person.identity);
  return participant;
}
