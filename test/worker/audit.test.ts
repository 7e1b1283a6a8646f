/**
 * The audit trail against real local D1: what a consultation records, who
 * may read it, erasure, the hash chain under attack, and that a broken D1
 * never breaks a call. The tests of a file run one after another, which
 * matters here: some change the shared database for a moment.
 */
import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { openAuditTrail } from "../../worker/audit-trail.ts";
import worker from "../../worker/index.ts";
import type { AuditSubject, AuditVerification } from "../../worker/protocol.ts";
import { auditOf, auditorToken, hasEnded, readAudit } from "./audit-helpers.ts";
import {
  admittedPair,
  api,
  bearer,
  connect,
  createConsultation,
  errorCode,
  partnerToken,
  practitionerToken,
  postJson,
} from "./helpers.ts";

describe("audit trail", () => {
  it("records a whole consultation in order, with the acting host and the end's reason", async () => {
    const { created, host, guest, guestId, hostId } = await admittedPair();
    guest.close();
    await host.next("peer-left");
    host.send({ type: "end" });
    await host.closeEvent();

    const events = await auditOf(created.id, hasEnded);
    expect(events.map((e) => e.type)).toEqual(["created", "invited", "joined", "knocked", "admitted", "joined", "left", "ended"]);
    expect(events[0]!.participant).toMatchObject({ id: hostId, role: "host", verified: "token", name: "Kari Fysio" });
    expect(events[0]!.participant!.sub).toMatch(/^practitioner-/);
    expect(events[4]).toMatchObject({ type: "admitted", by: hostId, participant: { id: guestId, role: "guest", verified: "code" } });
    expect(events[4]!.participant!.sub).toBeUndefined();
    expect(events.at(-1)).toMatchObject({ type: "ended", reason: "host-ended", by: hostId });
    expect(events.every((e) => e.consultation === created.id)).toBe(true);
    const seqs = events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("keeps no invite code, ticket, resume, SDP, ICE candidate, chat text or IP address", async () => {
    const ip = "198.51.100.23";
    const created = await createConsultation({ invitee: { name: "Ola" } });
    const hostJoin = await postJson(`/api/v1/consultations/${created.id}/join`, {}, { ...bearer(created.hostToken), "cf-connecting-ip": ip });
    const { ticket: hostTicket } = (await hostJoin.json()) as { ticket: string };
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    const guestJoin = await postJson(`/api/v1/consultations/${created.id}/join`, { code: created.invite.code }, { "x-forwarded-for": ip });
    const { ticket, resume } = (await guestJoin.json()) as { ticket: string; resume: string };
    const guest = await connect(created.id, { resume });
    const { participant } = await host.next("knock");
    host.send({ type: "admit", id: participant.id });
    const hostId = (await guest.next("welcome")).participants.find((p) => p.role === "host")!.id;
    const sdp = "v=0\r\no=- 4611731400430051336 2 IN IP4 203.0.113.7\r\na=fingerprint:sha-256 AB:CD:EF";
    const candidate = "candidate:842163049 1 udp 1677729535 203.0.113.7 50123 typ srflx";
    const chat = "my knee hurts since Tuesday";
    guest.send({ type: "signal", to: hostId, data: { sdp, candidate, chat } });
    await host.next("signal");
    host.send({ type: "end" });
    await auditOf(created.id, hasEnded);

    const everything = JSON.stringify([
      (await env.AUDIT.prepare("SELECT * FROM audit_events").all()).results,
      (await env.AUDIT.prepare("SELECT * FROM audit_chains").all()).results,
    ]);
    expect(everything).toContain(created.id); // the dump is real
    for (const secret of [created.invite.code!, ticket, hostTicket, resume, resume.split(".")[1]!, "v=0", "fingerprint", "candidate", "203.0.113.7", chat, ip]) {
      expect(everything).not.toContain(secret);
    }
  });

  it("answers only auditor tokens: practitioners and clients get 403 forbidden", async () => {
    for (const token of [await practitionerToken(), await partnerToken({ role: "client" }), await partnerToken()]) {
      for (const [method, path] of [
        ["GET", "consultations/" + "a".repeat(64)],
        ["GET", "subjects/someone"],
        ["DELETE", "subjects/someone"],
        ["GET", "verify"],
      ] as const) {
        const response = await api(`/api/v1/audit/${path}`, { method, headers: bearer(token) });
        expect(response.status, `${method} ${path}`).toBe(403);
        expect(await errorCode(response)).toBe("forbidden");
      }
    }
    expect((await api("/api/v1/audit/verify")).status).toBe(401);
  });

  it("shows an auditor nothing of another issuer's consultations", async () => {
    const trail = (await openAuditTrail(env))!;
    const consultation = crypto.randomUUID();
    const participant = { id: "pforeign", name: "Other Partner's Host", role: "host" as const, verified: "token" as const, sub: "shared-sub" };
    await trail.append("https://other-partner.example", { at: Date.now(), consultation, type: "created", participant });

    const response = await readAudit(`consultations/${consultation}`);
    expect(response.status).toBe(404);
    expect(await errorCode(response)).toBe("not_found");
    const subject = (await (await readAudit("subjects/shared-sub")).json()) as AuditSubject;
    expect(subject).toEqual({ subject: "shared-sub", consultations: [] });
  });

  it("gives a subject's call history with duration, and erases the subject while the chain still verifies", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const created = await createConsultation({ invitee: { sub, name: "Ola Nordmann" } });
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    const guest = await connect(created.id, { token: await partnerToken({ sub, name: "Ola Nordmann", role: "client" }) });
    host.send({ type: "admit", id: (await host.next("knock")).participant.id });
    await guest.next("welcome");
    await host.next("peer-joined");
    host.send({ type: "end" });
    await auditOf(created.id, hasEnded);

    const token = await auditorToken();
    const history = (await (await readAudit(`subjects/${sub}`, token)).json()) as AuditSubject;
    expect(history.subject).toBe(sub);
    expect(history.consultations).toHaveLength(1);
    const [call] = history.consultations;
    expect(call).toMatchObject({ id: created.id, endReason: "host-ended", host: { role: "host", name: "Kari Fysio" } });
    expect(call!.host.sub).toMatch(/^practitioner-/);
    expect(call!.participants).toEqual([
      expect.objectContaining({ sub, name: "Ola Nordmann", role: "guest", verified: "token", joinedAt: expect.any(String), leftAt: call!.endedAt }),
    ]);
    expect(Date.parse(call!.startedAt)).toBeLessThanOrEqual(Date.parse(call!.endedAt!));
    expect(call!.durationSeconds).toBeGreaterThanOrEqual(0);
    expect(Number.isInteger(call!.durationSeconds)).toBe(true);

    expect((await api(`/api/v1/audit/subjects/${sub}`, { method: "DELETE", headers: bearer(token) })).status).toBe(204);
    expect((await api(`/api/v1/audit/subjects/${sub}`, { method: "DELETE", headers: bearer(token) })).status).toBe(204);
    expect(await (await readAudit(`subjects/${sub}`, token)).json()).toEqual({ subject: sub, consultations: [] });
    const events = await auditOf(created.id, hasEnded);
    const guestEvents = events.filter((e) => e.participant?.role === "guest");
    expect(guestEvents.length).toBeGreaterThan(0);
    for (const event of guestEvents) {
      expect(event.participant!.sub).toBeUndefined();
      expect(event.participant!.name).toBeNull();
    }
    expect(JSON.stringify(events)).not.toContain("Ola Nordmann");
    expect(events.map((e) => e.type)).toEqual(["created", "invited", "joined", "knocked", "admitted", "joined", "ended"]);
    expect(await verify(token)).toMatchObject({ ok: true });
  });

  it("a consultation where two people never met lasts 0 seconds", async () => {
    const sub = `client-${crypto.randomUUID()}`;
    const created = await createConsultation({ invitee: { sub } });
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    host.send({ type: "end" });
    await auditOf(created.id, hasEnded);
    const history = (await (await readAudit(`subjects/${sub}`)).json()) as AuditSubject;
    expect(history.consultations[0]).toMatchObject({ id: created.id, durationSeconds: 0, participants: [{ sub }] });
  });

  it("breaks verify at an edited, a deleted or an inserted row, and at a deleted last row", async () => {
    // A chain of its own, so nothing else appends while it is tampered with.
    const { trail, issuer } = await privateChain(5);
    const row = await rowAt(issuer, 3);

    // Edited: a plain personal value, then a covered field.
    await env.AUDIT.prepare("UPDATE audit_events SET participant_name = 'Someone Else' WHERE issuer = ? AND seq = 3").bind(issuer).run();
    expect(await trail.verify(issuer)).toEqual({ ok: false, events: 2, brokenAt: 3 });
    await env.AUDIT.prepare("UPDATE audit_events SET participant_name = ?, at = at + 1 WHERE issuer = ? AND seq = 3")
      .bind(row.participant_name, issuer)
      .run();
    expect(await trail.verify(issuer)).toEqual({ ok: false, events: 2, brokenAt: 3 });
    await env.AUDIT.prepare("UPDATE audit_events SET at = at - 1 WHERE issuer = ? AND seq = 3").bind(issuer).run();
    expect(await trail.verify(issuer)).toEqual({ ok: true, events: 5 });

    // Deleted, then put back.
    await env.AUDIT.prepare("DELETE FROM audit_events WHERE issuer = ? AND seq = 3").bind(issuer).run();
    expect(await trail.verify(issuer)).toEqual({ ok: false, events: 2, brokenAt: 4 });
    await reinsert(row);
    expect(await trail.verify(issuer)).toEqual({ ok: true, events: 5 });

    // Inserted: a copy appended after the head.
    await reinsert({ ...row, seq: 6 });
    expect(await trail.verify(issuer)).toEqual({ ok: false, events: 5, brokenAt: 6 });
    await env.AUDIT.prepare("DELETE FROM audit_events WHERE issuer = ? AND seq = 6").bind(issuer).run();

    // The newest row deleted: the chain's head still names it.
    const last = await rowAt(issuer, 5);
    await env.AUDIT.prepare("DELETE FROM audit_events WHERE issuer = ? AND seq = 5").bind(issuer).run();
    expect(await trail.verify(issuer)).toEqual({ ok: false, events: 4, brokenAt: 5 });
    await reinsert(last);
    expect(await trail.verify(issuer)).toEqual({ ok: true, events: 5 });
  });

  it("the daily purge deletes events past AUDIT_RETENTION_DAYS and keeps recent ones, and the chain still verifies", async () => {
    const now = Date.now();
    const day = 86_400_000;
    const { trail, issuer } = await privateChain(5, (i) => (i < 3 ? now - 400 * day + i : now - day + i));
    const controller = createScheduledController({ scheduledTime: new Date(now), cron: "17 3 * * *" });
    await worker.scheduled(controller, env);

    const { results } = await env.AUDIT.prepare("SELECT seq FROM audit_events WHERE issuer = ? ORDER BY seq").bind(issuer).all();
    expect(results.map((r) => r.seq)).toEqual([4, 5]);
    expect(await trail.verify(issuer)).toEqual({ ok: true, events: 2 });
    // Deleting the oldest kept row by hand is still caught: the purge's anchor says where the chain starts.
    const oldest = await rowAt(issuer, 4);
    await env.AUDIT.prepare("DELETE FROM audit_events WHERE issuer = ? AND seq = 4").bind(issuer).run();
    expect(await trail.verify(issuer)).toMatchObject({ ok: false, brokenAt: 5 });
    await reinsert(oldest);
  });

  it("gives every event of many consultations written at once its own seq, in one unbroken chain", { timeout: 30_000 }, async () => {
    const trail = (await openAuditTrail(env))!;
    const issuer = `https://race-${crypto.randomUUID()}.example`;
    const seqs = await Promise.all(
      Array.from({ length: 30 }, (_, i) => trail.append(issuer, { at: Date.now(), consultation: `c${i % 6}`, type: "knocked" })),
    );
    expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(await trail.verify(issuer)).toEqual({ ok: true, events: 30 });
  });

  it("keeps the call going when D1 fails, and logs that the audit write failed", async () => {
    await env.AUDIT.prepare("ALTER TABLE audit_events RENAME TO audit_events_away").run();
    try {
      const { created, host, guest } = await admittedPair();
      host.send({ type: "end" });
      expect((await guest.next("ended")).reason).toBe("host-ended");
      const response = await api(`/api/v1/consultations/${created.id}`, { headers: bearer(created.hostToken) });
      expect(response.status).toBe(404);
    } finally {
      await env.AUDIT.prepare("ALTER TABLE audit_events_away RENAME TO audit_events").run();
    }
  });
});

async function verify(token: string): Promise<AuditVerification> {
  const response = await readAudit("verify", token);
  expect(response.status).toBe(200);
  return (await response.json()) as AuditVerification;
}

/** A chain under an issuer of its own with `length` events (named participants); `at(i)` their times. */
async function privateChain(length: number, at: (i: number) => number = () => Date.now()) {
  const trail = (await openAuditTrail(env))!;
  const issuer = `https://chain-${crypto.randomUUID()}.example`;
  for (let i = 0; i < length; i++) {
    const participant = { id: `p${i}`, name: `Person ${i}`, role: "guest" as const, verified: "token" as const, sub: `sub-${i}` };
    await trail.append(issuer, { at: at(i), consultation: "c1", type: "knocked", participant });
  }
  return { trail, issuer };
}

async function rowAt(issuer: string, seq: number): Promise<Record<string, unknown>> {
  return (await env.AUDIT.prepare("SELECT * FROM audit_events WHERE issuer = ? AND seq = ?").bind(issuer, seq).first())!;
}

async function reinsert(row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  await env.AUDIT.prepare(`INSERT INTO audit_events (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`)
    .bind(...columns.map((c) => row[c]))
    .run();
}
