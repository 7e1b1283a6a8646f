import { auditRetentionDays } from "./audit-trail.ts";
import type { Env } from "./env.ts";
import { log } from "./log.ts";

const DAY_MS = 86_400_000;

/**
 * The daily cron trigger: deletes audit events older than
 * AUDIT_RETENTION_DAYS (`0`: all of them). It cuts each issuer's chain at
 * the front only, and records the last deleted event as the chain's new
 * anchor in the same transaction, so what remains still verifies while a
 * row deleted by anyone else does not. `now` is the trigger's scheduled time.
 */
export async function purgeExpiredAuditEvents(env: Env, now: number): Promise<void> {
  const cutoff = now - auditRetentionDays(env) * DAY_MS;
  const { results: chains } = await env.AUDIT.prepare("SELECT issuer FROM audit_chains").all<{ issuer: string }>();
  for (const { issuer } of chains) {
    // The chain's order is `seq`; times from different objects may differ by
    // a little, so the purge stops at the first event still to be kept.
    const firstKept = await env.AUDIT.prepare("SELECT MIN(seq) AS seq FROM audit_events WHERE issuer = ? AND at >= ?")
      .bind(issuer, cutoff)
      .first<{ seq: number | null }>();
    const lastPurged = await env.AUDIT.prepare(
      "SELECT seq, hash FROM audit_events WHERE issuer = ?1 AND (?2 IS NULL OR seq < ?2) ORDER BY seq DESC LIMIT 1",
    )
      .bind(issuer, firstKept?.seq ?? null)
      .first<{ seq: number; hash: string }>();
    if (!lastPurged) continue;
    const [, deleted] = await env.AUDIT.batch([
      env.AUDIT.prepare("UPDATE audit_chains SET anchor_seq = ?, anchor_hash = ? WHERE issuer = ?").bind(
        lastPurged.seq,
        lastPurged.hash,
        issuer,
      ),
      env.AUDIT.prepare("DELETE FROM audit_events WHERE issuer = ? AND seq <= ?").bind(issuer, lastPurged.seq),
    ]);
    log("audit.purged", { issuer, events: deleted?.meta.changes ?? 0, before: new Date(cutoff).toISOString() });
  }
}
