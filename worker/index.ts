/**
 * Samtale's worker: the HTTP API, the demo pages and the element's module,
 * and the Durable Object class that holds each consultation.
 */
import type { Env } from "./env.ts";
import { handle } from "./router.ts";

export { Consultation } from "./consultation.ts";

export default {
  fetch: handle,
} satisfies ExportedHandler<Env>;
