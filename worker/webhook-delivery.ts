import { Webhook } from "standardwebhooks";
import type { Env } from "./env.ts";
import { describeError, logWarning } from "./log.ts";
import { webhookTarget, type WebhookMessage } from "./webhooks.ts";

/**
 * The WEBHOOKS queue's consumer: one signed POST per message (Standard
 * Webhooks headers), acknowledged on a 2xx and retried with a growing delay
 * otherwise. With wrangler.toml's `max_retries = 10` the delays below add
 * up to about 43 hours (more than the 24 the contract asks for) before a
 * message goes to the dead-letter queue.
 */

/** Queues delay a retry by at most 12 hours. */
const MAX_DELAY_SECONDS = 12 * 3600;

/** 5 s, 20 s, 80 s, … ×4 each time, capped at 12 h. `attempts` counts from 1. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(MAX_DELAY_SECONDS, 5 * 4 ** Math.max(0, attempts - 1));
}

export async function deliverWebhooks(batch: MessageBatch<WebhookMessage>, env: Env): Promise<void> {
  const target = webhookTarget(env);
  await Promise.all(
    batch.messages.map(async (message) => {
      // Webhooks were turned off since this was queued: nowhere to send it.
      if (!target) return message.ack();
      const delivered = await deliver(message.body, target.url, new Webhook(target.secret));
      if (delivered) return message.ack();
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
    }),
  );
}

async function deliver({ id, body }: WebhookMessage, url: string, signer: Webhook): Promise<boolean> {
  const payload = JSON.stringify(body);
  // Signed afresh on each attempt: receivers refuse timestamps far from now.
  const timestamp = new Date();
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
        "webhook-signature": signer.sign(id, timestamp, payload),
      },
      body: payload,
      redirect: "manual",
    });
    await response.body?.cancel();
    if (response.ok) return true;
    logWarning("webhook.refused", { id, type: body.type, status: response.status });
  } catch (error) {
    logWarning("webhook.failed", { id, type: body.type, error: describeError(error) });
  }
  return false;
}
