import type { Consultation } from "./consultation.ts";

/** The worker's bindings: wrangler.toml `[vars]`, secrets and resources. */
export interface Env {
  CONSULTATIONS: DurableObjectNamespace<Consultation>;
  ASSETS: Fetcher;

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
  DEV_AUTH?: string;
}
