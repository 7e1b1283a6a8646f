/**
 * Samtale's worker: the HTTP API, the demo pages and the element's module,
 * and the Durable Object class that holds each consultation.
 */
import { purgeExpiredAuditEvents } from "./audit-retention.ts";
import type { Env } from "./env.ts";
import { handle } from "./router.ts";
import { deliverWebhooks } from "./webhook-delivery.ts";
import type { WebhookMessage } from "./webhooks.ts";

export { Consultation } from "./consultation.ts";

export default {
  fetch: handle,
  // The daily cron trigger (wrangler.toml): audit retention.
  scheduled: (controller, env) => purgeExpiredAuditEvents(env, controller.scheduledTime),
  // The WEBHOOKS queue: deliveries to the partner.
  queue: (batch, env) => deliverWebhooks(batch, env),
} satisfies ExportedHandler<Env, WebhookMessage>;
