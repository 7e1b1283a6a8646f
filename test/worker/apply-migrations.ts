/**
 * Setup for every worker test file: the audit database gets the project's
 * own migrations (read from migrations/ by the vitest config), exactly as
 * `npm start` and a deploy apply them.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

await applyD1Migrations(env.AUDIT, env.TEST_MIGRATIONS);
