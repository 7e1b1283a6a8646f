import type { Config } from "./config.ts";
import type { Consultation } from "./consultation.ts";
import type { Env } from "./env.ts";
import { ApiError } from "./errors.ts";

/**
 * Where consultations live: the namespace narrowed to `DATA_JURISDICTION`,
 * so a deployed consultation's state never leaves the EU.
 */
function namespace(env: Env, config: Config): DurableObjectNamespace<Consultation> {
  return config.jurisdiction === "eu" ? env.CONSULTATIONS.jurisdiction("eu") : env.CONSULTATIONS;
}

/** A fresh, unguessable consultation id (64 hex digits) and its object. */
export function newConsultation(env: Env, config: Config) {
  const id = namespace(env, config).newUniqueId();
  return { id: id.toString(), stub: namespace(env, config).get(id) };
}

/**
 * The object of an existing consultation. A malformed id is `not_found`
 * without waking anything; a well-formed unknown one wakes an empty object
 * that answers `not_found` itself.
 */
export function consultationStub(env: Env, config: Config, id: string | undefined) {
  if (!id || !/^[0-9a-f]{64}$/.test(id)) throw notFound();
  try {
    return namespace(env, config).get(namespace(env, config).idFromString(id));
  } catch {
    throw notFound();
  }
}

function notFound(): ApiError {
  return new ApiError("not_found", "This consultation does not exist or has ended.");
}
