/**
 * Webhooks through the real local queue to a real HTTP receiver on loopback
 * (test/worker/webhook-receiver.ts): every event of a whole consultation
 * arrives, each signature verifies with `standardwebhooks`, and a delivery
 * answered 500 comes again with the same `webhook-id`.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { WebhookBody } from "../../worker/protocol.ts";
import { retryDelaySeconds } from "../../worker/webhook-delivery.ts";
import { webhookTarget } from "../../worker/webhooks.ts";
import { connect, createConsultation, lobbyGuest } from "./helpers.ts";

const receiver = new URL(env.WEBHOOK_URL!).origin;

/** One POST as the receiver got it (its `Delivery`, kept in Node). */
interface Delivery {
  headers: Record<string, string>;
  body: string;
  status: number;
}

async function deliveriesFor(id: string): Promise<Delivery[]> {
  return (await (await fetch(`${receiver}/control/received/${id}`)).json()) as Delivery[];
}

/** Polls the receiver until `done`; queue batches and retries take seconds. */
async function waitForDeliveries(id: string, done: (d: Delivery[]) => boolean, timeoutMs = 25_000): Promise<Delivery[]> {
  const deadline = Date.now() + timeoutMs;
  let deliveries: Delivery[] = [];
  while (Date.now() < deadline) {
    deliveries = await deliveriesFor(id);
    if (done(deliveries)) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`deliveries for ${id} incomplete: ${JSON.stringify(deliveries.map((d) => [JSON.parse(d.body).type, d.status]))}`);
}

describe("webhooks", () => {
  it("delivers every event of a whole consultation, signed, and retries a 500 with the same webhook-id", { timeout: 40_000 }, async () => {
    const created = await createConsultation({ mode: "group", maxParticipants: 3, invitee: { name: "Ola" } });
    const host = await connect(created.id, { token: created.hostToken });
    await host.next("welcome");
    const guest = await connect(created.id, { code: created.invite.code! });
    const admittedId = (await host.next("knock")).participant.id;
    host.send({ type: "admit", id: admittedId });
    await guest.next("welcome");
    const denied = await lobbyGuest(created, "Per");
    await host.nextWhere("knock", (m) => m.participant.id === denied.id);
    host.send({ type: "deny", id: denied.id });
    await denied.closeEvent();
    guest.close();
    await host.next("peer-left");
    expect((await fetch(`${receiver}/control/fail-once/${created.id}`, { method: "POST" })).status).toBe(204);
    host.send({ type: "end" });
    await host.closeEvent();

    const ended = (d: Delivery) => (JSON.parse(d.body) as WebhookBody).type === "consultation.ended";
    const deliveries = await waitForDeliveries(created.id, (all) => all.filter(ended).length >= 2);

    const signer = new Webhook(env.WEBHOOK_SECRET!);
    for (const delivery of deliveries) {
      expect(delivery.headers["content-type"]).toBe("application/json");
      expect(() => signer.verify(delivery.body, delivery.headers)).not.toThrow();
      expect(() => signer.verify(delivery.body.replace("}", ',"x":1}'), delivery.headers)).toThrow();
    }
    const accepted = deliveries.filter((d) => d.status === 204).map((d) => JSON.parse(d.body) as WebhookBody);
    const types = accepted.map((b) => b.type);
    expect([...types].sort()).toEqual(
      [
        "consultation.created",
        "invite.created",
        "invite.created",
        "participant.joined",
        "participant.knocked",
        "participant.admitted",
        "participant.joined",
        "participant.knocked",
        "participant.denied",
        "participant.left",
        "consultation.ended",
      ].sort(),
    );
    for (const body of accepted) {
      expect(body.data.consultation).toBe(created.id);
      expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    }
    const invites = accepted.filter((b) => b.type === "invite.created").map((b) => b.data.invite);
    expect(invites).toContainEqual(created.invite);
    expect(accepted.find((b) => b.type === "participant.admitted")!.data.participant).toMatchObject({ id: admittedId, role: "guest" });
    expect(accepted.find((b) => b.type === "participant.denied")!.data.participant).toMatchObject({ id: denied.id, name: "Per" });
    const end = accepted.find((b) => b.type === "consultation.ended")!;
    expect(end.data.reason).toBe("host-ended");
    expect(Number.isInteger(end.data.durationSeconds)).toBe(true);

    // The refused delivery and its retry: one event, one id, signed afresh.
    const [refused, retried] = deliveries.filter(ended);
    expect(refused!.status).toBe(500);
    expect(retried!.status).toBe(204);
    expect(retried!.headers["webhook-id"]).toBe(refused!.headers["webhook-id"]);
    expect(retried!.body).toBe(refused!.body);
    expect(new Set(deliveries.map((d) => d.headers["webhook-id"])).size).toBe(accepted.length);
  });

  it("retries with growing delays for more than 24 hours within the queue's 10 retries", () => {
    const delays = Array.from({ length: 10 }, (_, i) => retryDelaySeconds(i + 1));
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays.every((d) => d <= 12 * 3600)).toBe(true);
    expect(delays.reduce((sum, d) => sum + d, 0)).toBeGreaterThan(24 * 3600);
  });

  it("refuses a WEBHOOK_URL that is plain http to anywhere but loopback, or a secret without whsec_", () => {
    const secret = env.WEBHOOK_SECRET!;
    expect(webhookTarget({ ...env, WEBHOOK_URL: "http://partner.example/hooks", WEBHOOK_SECRET: secret })).toBeNull();
    expect(webhookTarget({ ...env, WEBHOOK_URL: "http://10.0.0.5/hooks", WEBHOOK_SECRET: secret })).toBeNull();
    expect(webhookTarget({ ...env, WEBHOOK_URL: "https://partner.example/hooks", WEBHOOK_SECRET: "not-a-secret" })).toBeNull();
    expect(webhookTarget({ ...env, WEBHOOK_URL: "https://partner.example/hooks", WEBHOOK_SECRET: secret })).toMatchObject({
      url: "https://partner.example/hooks",
    });
    expect(webhookTarget({ ...env, WEBHOOK_URL: "http://127.0.0.1:9/hooks", WEBHOOK_SECRET: secret })).not.toBeNull();
  });
});

