import type { IRequest } from "itty-router";
import { openAuditTrail, toAuditEvent, type AuditEventRow } from "./audit-trail.ts";
import { authenticate } from "./auth.ts";
import type { Config } from "./config.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";
import type { AuditConsultation, AuditEvent, AuditSubject, AuditSubjectConsultation } from "./protocol.ts";
import { json } from "./responses.ts";

/**
 * The audit readers: the partner's back end with a token whose `role` is
 * `auditor`, and only for consultations created under its own `iss` (every
 * query below is scoped by issuer). Any other role is `forbidden`.
 */

async function auditorIssuer(request: Request, env: Env, config: Config): Promise<string> {
  const identity = await authenticate(request, env, config);
  if (identity.role !== "auditor") throw new ApiError("forbidden", "Only an auditor token may read the audit trail.");
  return identity.issuer;
}

/** `GET /api/v1/audit/consultations/:id`: every event of one consultation, also after it ended. */
export async function readConsultationAudit(request: IRequest, env: Env, config: Config): Promise<Response> {
  const issuer = await auditorIssuer(request, env, config);
  const id = request.params.id ?? "";
  const events = await consultationEvents(env, issuer, id);
  if (events.length === 0) throw new ApiError("not_found", "The audit holds nothing about this consultation.");
  return json({ consultation: id, events } satisfies AuditConsultation);
}

/** `GET /api/v1/audit/subjects/:sub`: the subject's call history (and GDPR export). */
export async function readSubjectAudit(request: IRequest, env: Env, config: Config): Promise<Response> {
  const issuer = await auditorIssuer(request, env, config);
  const subject = request.params.sub ?? "";
  const { results } = await env.AUDIT.prepare(
    "SELECT consultation, MIN(seq) AS first FROM audit_events WHERE issuer = ? AND participant_sub = ? GROUP BY consultation ORDER BY first",
  )
    .bind(issuer, subject)
    .all<{ consultation: string }>();
  const consultations: AuditSubjectConsultation[] = [];
  for (const { consultation } of results) {
    const summary = summarize(consultation, await consultationEvents(env, issuer, consultation));
    if (summary) consultations.push(summary);
  }
  return json({ subject, consultations } satisfies AuditSubject);
}

/**
 * `DELETE /api/v1/audit/subjects/:sub`: erasure. The plain `sub` and `name`
 * go from every event of the subject; their keyed digests stay, so the
 * chain still verifies. Times, roles and counts stay. Needs no AUDIT_KEY:
 * erasure works even on a deployment that stopped auditing.
 */
export async function eraseSubject(request: IRequest, env: Env, config: Config): Promise<Response> {
  const issuer = await auditorIssuer(request, env, config);
  await env.AUDIT.prepare("UPDATE audit_events SET participant_sub = NULL, participant_name = NULL WHERE issuer = ? AND participant_sub = ?")
    .bind(issuer, request.params.sub ?? "")
    .run();
  return new Response(null, { status: 204 });
}

/** `GET /api/v1/audit/verify`: walks the caller's chain. */
export async function verifyAudit(request: IRequest, env: Env, config: Config): Promise<Response> {
  const issuer = await auditorIssuer(request, env, config);
  const trail = await openAuditTrail(env);
  if (!trail) throw new ApiError("not_found", "This deployment keeps no audit trail.");
  return json(await trail.verify(issuer));
}

async function consultationEvents(env: Env, issuer: string, consultation: string): Promise<AuditEvent[]> {
  const { results } = await env.AUDIT.prepare("SELECT * FROM audit_events WHERE issuer = ? AND consultation = ? ORDER BY seq")
    .bind(issuer, consultation)
    .all<AuditEventRow>();
  return results.map(toAuditEvent);
}

type Entry = AuditSubjectConsultation["participants"][number];

/**
 * One consultation of a subject's history, replayed from its events. The
 * duration runs from the first moment two people were in the call together
 * to its end (0 if never); someone still in the call at the end left then.
 */
function summarize(id: string, events: AuditEvent[]): AuditSubjectConsultation | null {
  const created = events.find((e) => e.type === "created");
  const host = created?.participant ?? events.find((e) => e.participant?.role === "host")?.participant;
  if (!host) return null; // its start was purged: too little left to tell
  const ended = events.find((e) => e.type === "ended");
  const people = new Map<string, Entry>();
  const inCall = new Set<string>();
  let togetherSince: number | undefined;
  for (const event of events) {
    const participant = event.participant;
    if (!participant) continue;
    if (participant.id !== host.id) {
      const entry = people.get(participant.id) ?? { ...participant };
      if (participant.name !== null) entry.name = participant.name;
      if (event.type === "joined") entry.joinedAt ??= event.at;
      if (event.type === "left") entry.leftAt = event.at;
      people.set(participant.id, entry);
    }
    if (event.type === "joined") inCall.add(participant.id);
    if (event.type === "left" || event.type === "removed") inCall.delete(participant.id);
    if (inCall.size >= 2) togetherSince ??= Date.parse(event.at);
  }
  const summary: AuditSubjectConsultation = {
    id,
    startedAt: created?.at ?? events[0]!.at,
    host,
    participants: [...people.values()],
  };
  if (ended) {
    summary.endedAt = ended.at;
    if (ended.reason) summary.endReason = ended.reason;
    summary.durationSeconds = togetherSince === undefined ? 0 : Math.round((Date.parse(ended.at) - togetherSince) / 1000);
    for (const entry of summary.participants) if (inCall.has(entry.id)) entry.leftAt = ended.at;
  }
  return summary;
}
