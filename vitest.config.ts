import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { randomBytes } from "node:crypto";
import { defineConfig } from "vitest/config";
import { freePort } from "./test/e2e/services.ts";
import { testKeys } from "./test/worker/keys.config.ts";

const keys = await testKeys();
const auditMigrations = await readD1Migrations("./migrations");
// The webhook receiver (test/worker/webhook-receiver.ts) listens here; the
// worker is told before it starts, so the port is chosen now, once for every
// evaluation of this file in the run.
process.env.SAMTALE_TEST_WEBHOOK_PORT ??= String(await freePort());
const webhookPort = Number(process.env.SAMTALE_TEST_WEBHOOK_PORT);

export default defineConfig({
  test: {
    projects: [
      {
        // The worker and its Durable Object, inside workerd.
        plugins: [
          cloudflareTest({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                // workerd does not implement jurisdictions.
                DATA_JURISDICTION: "none",
                AUTH_ISSUER: "https://partner.example",
                AUTH_JWKS: JSON.stringify({ keys: [keys.publicJwk] }),
                ALLOWED_ORIGINS: "https://partner.example",
                TURN_URLS: "turn:127.0.0.1:3479?transport=udp",
                TURN_SECRET: "test-turn-secret",
                HOST_GRACE_SECONDS: "120",
                AUDIT_KEY: "test-only-audit-key",
                WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/webhooks`,
                WEBHOOK_SECRET: `whsec_${randomBytes(32).toString("base64")}`,
                TEST_MIGRATIONS: auditMigrations,
                // Test-only: the private half, so tests can sign partner tokens.
                TEST_SIGNING_JWK: JSON.stringify(keys.privateJwk),
              },
            },
          }),
        ],
        test: {
          name: "worker",
          include: ["test/worker/**/*.test.ts"],
          setupFiles: ["test/worker/apply-migrations.ts"],
          globalSetup: ["test/worker/webhook-receiver.ts"],
        },
      },
      {
        // Browser logic that needs no browser: plain Node.
        test: { name: "web", include: ["test/web/**/*.test.ts"], environment: "node" },
      },
      {
        // Real Chromium against `wrangler dev` (and coturn).
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/e2e/global-setup.ts"],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
