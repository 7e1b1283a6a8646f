/**
 * Helpers for the audit tests: auditor tokens, the readers, and waiting for
 * events that the consultation writes after the call has moved on.
 */
import type { AuditConsultation, AuditEvent } from "../../worker/protocol.ts";
import { api, bearer, partnerToken } from "./helpers.ts";

export const auditorToken = () => partnerToken({ sub: `auditor-${crypto.randomUUID()}`, role: "auditor" });

export async function readAudit(path: string, token?: string): Promise<Response> {
  return api(`/api/v1/audit/${path}`, { headers: bearer(token ?? (await auditorToken())) });
}

/** Polls until the consultation's audit satisfies `done` (writes are in the background). */
export async function auditOf(id: string, done: (events: AuditEvent[]) => boolean, timeoutMs = 5000): Promise<AuditEvent[]> {
  const token = await auditorToken();
  const deadline = Date.now() + timeoutMs;
  let events: AuditEvent[] = [];
  while (Date.now() < deadline) {
    const response = await readAudit(`consultations/${id}`, token);
    if (response.status === 200) {
      events = ((await response.json()) as AuditConsultation).events;
      if (done(events)) return events;
    } else {
      await response.body?.cancel();
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`audit of ${id} not complete in time: ${JSON.stringify(events.map((e) => e.type))}`);
}

export const hasEnded = (events: AuditEvent[]) => events.some((e) => e.type === "ended");
