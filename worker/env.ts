import type { Consultation } from "./consultation.ts";
import type { WebhookMessage } from "./webhooks.ts";

/** The worker's bindings: wrangler.toml `[vars]`, secrets and resources. */
export interface Env {
  CONSULTATIONS: DurableObjectNamespace<Consultation>;
  ASSETS: Fetcher;
  /** The audit trail (D1, created in the EU jurisdiction). */
  AUDIT: D1Database;
  /** Webhooks on their way to the partner (a Cloudflare Queue this worker consumes). */
  WEBHOOKS: Queue<WebhookMessage>;

  AUTH_ISSUER?: string;
  AUTH_AUDIENCE?: string;
  AUTH_JWKS?: string;
  AUTH_JWKS_URL?: string;
  AUTH_ALGORITHMS?: string;
  ALLOWED_ORIGINS?: string;
  DATA_JURISDICTION?: string;
  MIN_AGE?: string;
  CHAT?: string;
  TURN_URLS?: string;
  TURN_SECRET?: string;
  TURN_KEY_ID?: string;
  TURN_KEY_API_TOKEN?: string;
  /** Added: STUN servers offered to every admitted participant. */
  STUN_URLS?: string;
  HOST_GRACE_SECONDS?: string;
  /** `on`: every consultation is relay-only (TURN only); `off` (default): each chooses. */
  RELAY_ONLY?: string;
  PEER_GRACE_SECONDS?: string;
  DEV_AUTH?: string;
  AUDIT_RETENTION_DAYS?: string;
  /** Secret: keys the digests of personal fields in the audit chain. */
  AUDIT_KEY?: string;
  WEBHOOK_URL?: string;
  /** Secret: `whsec_` + base64 key (Standard Webhooks). */
  WEBHOOK_SECRET?: string;
}
