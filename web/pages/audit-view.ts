/**
 * The demo page's "what the audit kept": after a consultation ends, the
 * demo issuer mints an `auditor` token (DEV_AUTH=1 only) and the page shows
 * the consultation's audit events, so a newcomer sees what is kept (who,
 * when, roles) and what is not (no codes, tickets, SDP, chat or addresses).
 */
import type { AuditConsultation, AuditEvent } from "../../worker/protocol.ts";

const ATTEMPTS = 20;
const PAUSE_MS = 250;

export async function showAudit(consultation: string, section: HTMLElement): Promise<void> {
  const body = section.querySelector("tbody")!;
  const status = section.querySelector<HTMLElement>("[role=status]")!;
  section.hidden = false;
  body.replaceChildren();
  status.textContent = "Reading the audit…";
  try {
    const token = await auditorToken();
    // Events are written just after they happen: the end may need a moment.
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const response = await fetch(`/api/v1/audit/consultations/${encodeURIComponent(consultation)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (response.ok) {
        const { events } = (await response.json()) as AuditConsultation;
        body.replaceChildren(...events.map(row));
        if (events.some((e) => e.type === "ended")) break;
      }
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
    }
    status.textContent = body.children.length ? "" : "This deployment keeps no audit (no AUDIT_KEY).";
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
  }
}

async function auditorToken(): Promise<string> {
  const response = await fetch("/dev/token", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ sub: "demo-auditor", role: "auditor" }),
  });
  if (!response.ok) throw new Error(`The demo issuer answered ${response.status}.`);
  return ((await response.json()) as { token: string }).token;
}

function row(event: AuditEvent): HTMLTableRowElement {
  const tr = document.createElement("tr");
  const who = event.participant ? `${event.participant.name ?? "(erased)"} (${event.participant.role}, ${event.participant.verified})` : "";
  for (const text of [String(event.seq), new Date(event.at).toLocaleTimeString(), event.type, who, event.reason ?? ""]) {
    const td = document.createElement("td");
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}
