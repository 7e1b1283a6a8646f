import type { Env } from "./env.ts";
import { logError } from "./log.ts";
import type { WebhookBody } from "./protocol.ts";

/**
 * Webhooks to the partner, producing side: each event becomes one message
 * on the WEBHOOKS queue, delivered by webhook-delivery.ts. The `webhook-id`
 * is chosen here, once, and travels in the message, so every retry of the
 * same event carries the same id and the partner can de-duplicate.
 */

export interface WebhookMessage {
  id: string;
  body: WebhookBody;
}

export interface WebhookTarget {
  url: string;
  secret: string;
}

const warned = new Set<string>();

/**
 * Where webhooks go, or null when none are sent: WEBHOOK_URL and
 * WEBHOOK_SECRET unset (a choice), or unusable (logged once per isolate).
 * Personal data travels in them, so plain `http:` is refused except to this
 * machine's loopback (local runs and tests).
 */
export function webhookTarget(env: Env): WebhookTarget | null {
  const url = env.WEBHOOK_URL?.trim();
  const secret = env.WEBHOOK_SECRET?.trim();
  if (!url && !secret) return null;
  if (!url || !secret) return refuse("WEBHOOK_URL and WEBHOOK_SECRET must both be set.");
  if (!/^whsec_[A-Za-z0-9+/=]+$/.test(secret)) return refuse("WEBHOOK_SECRET must be `whsec_` followed by a base64 key.");
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse("WEBHOOK_URL is not a URL.");
  }
  if (parsed.protocol !== "https:" && !(parsed.protocol === "http:" && isLoopback(parsed.hostname))) {
    return refuse("WEBHOOK_URL must be https: (plain http: only to 127.0.0.1, [::1] or localhost).");
  }
  return { url: parsed.href, secret };
}

function isLoopback(hostname: string): boolean {
  return hostname === "localhost" || hostname === "[::1]" || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function refuse(message: string): null {
  if (!warned.has(message)) {
    warned.add(message);
    logError("webhooks.disabled", { message });
  }
  return null;
}

/** Queues one webhook; a no-op when this deployment sends none. */
export async function produceWebhook(env: Env, body: WebhookBody): Promise<void> {
  if (!webhookTarget(env)) return;
  await env.WEBHOOKS.send({ id: `msg_${crypto.randomUUID()}`, body } satisfies WebhookMessage, { contentType: "json" });
}
