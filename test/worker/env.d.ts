import type { Env as WorkerEnv } from "../../worker/env.ts";

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      /** Test-only binding: the partner's private key, to sign tokens. */
      TEST_SIGNING_JWK: string;
      /** Test-only binding: migrations/, applied by apply-migrations.ts. */
      TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    }
    // Types `exports` from "cloudflare:workers" (the worker's own default export).
    interface GlobalProps {
      mainModule: typeof import("../../worker/index.ts");
    }
  }
}
