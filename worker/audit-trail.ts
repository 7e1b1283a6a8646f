import type { Env } from "./env.ts";
import { logWarning } from "./log.ts";
import type { AuditEvent, AuditEventType, AuditParticipant, AuditVerification, EndReason } from "./protocol.ts";

/**
 * The audit trail in D1: appending events to a per-issuer hash chain, and
 * checking that chain. Metadata only: callers hand in participants, ids,
 * times and reasons, never codes, tickets, SDP, chat or addresses.
 *
 * Each row's `hash` is SHA-256 over the previous row's hash and the row
 * itself, with the personal fields (`name`, `sub`) only as HMAC digests
 * under AUDIT_KEY. Erasing a subject nulls the plain values and keeps the
 * digests, so the chain still verifies; an edited, inserted or deleted row
 * does not. `audit_chains` holds each chain's head (so a deleted last row
 * shows) and the anchor the retention purge left (where the chain starts).
 */

/** An event as the consultation reports it; `at` in epoch milliseconds. */
export interface NewAuditEvent {
  at: number;
  consultation: string;
  type: AuditEventType;
  participant?: AuditParticipant;
  by?: string;
  reason?: EndReason;
}

/** A row of `audit_events`, as D1 returns it. */
export interface AuditEventRow {
  issuer: string;
  seq: number;
  at: number;
  consultation: string;
  type: AuditEventType;
  participant_id: string | null;
  participant_role: AuditParticipant["role"] | null;
  participant_verified: AuditParticipant["verified"] | null;
  participant_name: string | null;
  participant_sub: string | null;
  name_digest: string | null;
  sub_digest: string | null;
  by_id: string | null;
  reason: EndReason | null;
  hash: string;
}

interface ChainRow {
  head_seq: number;
  head_hash: string;
  anchor_seq: number;
  anchor_hash: string;
}

/** The hash "before" an issuer's first event. */
const GENESIS = "";
/** Appends that lost the race for the next `seq` retry this often, after a short random pause. */
const APPEND_ATTEMPTS = 50;
const APPEND_BACKOFF_MS = 5;
const VERIFY_PAGE = 500;

const keys = new Map<string, Promise<CryptoKey>>();
let warnedDisabled = false;

/**
 * The audit trail, or null when this deployment keeps none: no AUDIT_KEY
 * (said once per isolate in the log, since an operator must fix it), or
 * AUDIT_RETENTION_DAYS=0 (a choice, so nothing to warn about).
 */
export async function openAuditTrail(env: Env): Promise<AuditTrail | null> {
  if (auditRetentionDays(env) === 0) return null;
  const secret = env.AUDIT_KEY?.trim();
  if (!secret) {
    if (!warnedDisabled) {
      warnedDisabled = true;
      logWarning("audit.disabled", { message: "AUDIT_KEY is not set: no audit trail is kept." });
    }
    return null;
  }
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return new AuditTrail(env.AUDIT, await key);
}

/** AUDIT_RETENTION_DAYS: a whole number of days, default 365; `0` keeps nothing. */
export function auditRetentionDays(env: Env): number {
  const value = env.AUDIT_RETENTION_DAYS?.trim();
  const days = Number(value);
  return value && Number.isInteger(days) && days >= 0 ? days : 365;
}

export class AuditTrail {
  constructor(
    private readonly db: D1Database,
    private readonly key: CryptoKey,
  ) {}

  /**
   * Appends one event to its issuer's chain and returns its `seq`.
   *
   * Many consultation objects append to the same chain at once. Each append
   * reads the head, seals its row against it and writes row and new head in
   * one D1 batch (a transaction). The primary key (issuer, seq) lets only
   * one writer take a given `seq`: a writer that read a stale head fails as
   * a whole, rereads the new head and tries again. So `seq` has no gaps or
   * forks without a lock or a single serialising object in the way; this
   * runs after the call has moved on (see consultation-events.ts), so the
   * retries cost the call nothing.
   */
  async append(issuer: string, event: NewAuditEvent): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const head = await this.db
        .prepare("SELECT head_seq, head_hash FROM audit_chains WHERE issuer = ?")
        .bind(issuer)
        .first<Pick<ChainRow, "head_seq" | "head_hash">>();
      const row = await this.seal(issuer, (head?.head_seq ?? 0) + 1, head?.head_hash ?? GENESIS, event);
      try {
        await this.db.batch([
          this.db
            .prepare(
              `INSERT INTO audit_events (issuer, seq, at, consultation, type, participant_id, participant_role,
                 participant_verified, participant_name, participant_sub, name_digest, sub_digest, by_id, reason, hash)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .bind(
              row.issuer, row.seq, row.at, row.consultation, row.type, row.participant_id, row.participant_role,
              row.participant_verified, row.participant_name, row.participant_sub, row.name_digest, row.sub_digest,
              row.by_id, row.reason, row.hash,
            ),
          this.db
            .prepare(
              `INSERT INTO audit_chains (issuer, head_seq, head_hash, anchor_seq, anchor_hash) VALUES (?, ?, ?, 0, ?)
               ON CONFLICT (issuer) DO UPDATE SET head_seq = excluded.head_seq, head_hash = excluded.head_hash`,
            )
            .bind(issuer, row.seq, row.hash, GENESIS),
        ]);
        return row.seq;
      } catch (error) {
        if (attempt >= APPEND_ATTEMPTS || !/UNIQUE|PRIMARY KEY|constraint/i.test(String(error))) throw error;
        // Jitter spreads writers that collided, so each round has fewer of them.
        await scheduler.wait(Math.random() * APPEND_BACKOFF_MS * Math.min(attempt, 20));
      }
    }
  }

  /** Walks the issuer's chain from its anchor to its head. */
  async verify(issuer: string): Promise<AuditVerification> {
    const chain = await this.db
      .prepare("SELECT head_seq, head_hash, anchor_seq, anchor_hash FROM audit_chains WHERE issuer = ?")
      .bind(issuer)
      .first<ChainRow>();
    if (!chain) return { ok: true, events: 0 };
    let previousHash = chain.anchor_hash;
    let expectedSeq = chain.anchor_seq + 1;
    let events = 0;
    for (;;) {
      const { results } = await this.db
        .prepare("SELECT * FROM audit_events WHERE issuer = ? AND seq >= ? ORDER BY seq LIMIT ?")
        .bind(issuer, expectedSeq, VERIFY_PAGE)
        .all<AuditEventRow>();
      for (const row of results) {
        // A missing row leaves a gap; an inserted or edited one fails its hash.
        if (row.seq !== expectedSeq || !(await this.holds(row, previousHash))) return { ok: false, events, brokenAt: row.seq };
        previousHash = row.hash;
        expectedSeq++;
        events++;
      }
      if (results.length < VERIFY_PAGE) break;
    }
    const lastSeq = expectedSeq - 1;
    // The head names the newest event: rows missing at the end, or more rows
    // than the chain ever appended, break it too.
    if (lastSeq !== chain.head_seq || previousHash !== chain.head_hash) {
      return { ok: false, events, brokenAt: Math.min(lastSeq, chain.head_seq) + 1 };
    }
    return { ok: true, events };
  }

  private async seal(issuer: string, seq: number, previousHash: string, event: NewAuditEvent): Promise<AuditEventRow> {
    const participant = event.participant;
    const row: AuditEventRow = {
      issuer,
      seq,
      at: event.at,
      consultation: event.consultation,
      type: event.type,
      participant_id: participant?.id ?? null,
      participant_role: participant?.role ?? null,
      participant_verified: participant?.verified ?? null,
      participant_name: participant?.name ?? null,
      participant_sub: participant?.sub ?? null,
      name_digest: await this.digest(issuer, "name", participant?.name),
      sub_digest: await this.digest(issuer, "sub", participant?.sub),
      by_id: event.by ?? null,
      reason: event.reason ?? null,
      hash: "",
    };
    row.hash = await chainHash(previousHash, row);
    return row;
  }

  /** Whether a stored row is what was sealed after `previousHash`, erasures allowed. */
  private async holds(row: AuditEventRow, previousHash: string): Promise<boolean> {
    // Plain values still present must match their digests; erased ones are null.
    if (row.participant_name !== null && (await this.digest(row.issuer, "name", row.participant_name)) !== row.name_digest) return false;
    if (row.participant_sub !== null && (await this.digest(row.issuer, "sub", row.participant_sub)) !== row.sub_digest) return false;
    return (await chainHash(previousHash, row)) === row.hash;
  }

  private async digest(issuer: string, field: "name" | "sub", value: string | null | undefined): Promise<string | null> {
    if (value === null || value === undefined) return null;
    const input = new TextEncoder().encode(JSON.stringify([issuer, field, value]));
    return hex(await crypto.subtle.sign("HMAC", this.key, input));
  }
}

/** The row's hash: everything but the plain personal fields, after the previous hash. */
async function chainHash(previousHash: string, row: AuditEventRow): Promise<string> {
  const covered = [
    previousHash, row.issuer, row.seq, row.at, row.consultation, row.type, row.participant_id, row.participant_role,
    row.participant_verified, row.name_digest, row.sub_digest, row.by_id, row.reason,
  ];
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(covered))));
}

function hex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** A stored row as the readers answer it. */
export function toAuditEvent(row: AuditEventRow): AuditEvent {
  const event: AuditEvent = { seq: row.seq, at: new Date(row.at).toISOString(), consultation: row.consultation, type: row.type };
  if (row.participant_id !== null) {
    event.participant = {
      id: row.participant_id,
      name: row.participant_name,
      role: row.participant_role!,
      verified: row.participant_verified!,
      ...(row.participant_sub !== null ? { sub: row.participant_sub } : {}),
    };
  }
  if (row.by_id !== null) event.by = row.by_id;
  if (row.reason !== null) event.reason = row.reason;
  return event;
}
