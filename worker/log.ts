/**
 * What an operator sees: one JSON object per line, `{"event": NAME, ...}`,
 * which Workers Logs (`[observability]` in wrangler.toml) indexes field by
 * field. Event names are stable (`area.happening`) so alerts and queries
 * can rely on them.
 *
 * A log line may carry the consultation id, participant ids (per
 * consultation, never a token's `sub`), error codes, HTTP statuses, close
 * codes and reasons, counts and times. Never names, subs, invite codes,
 * tickets, resume tokens, SDP, ICE candidates, chat or IP addresses: the
 * fields are flat scalars, so a whole participant or request cannot slip in
 * by accident.
 */
export type LogFields = Record<string, string | number | boolean | undefined>;

/** Something that happened as it should: a consultation created or ended. */
export function log(event: string, fields: LogFields = {}): void {
  console.log(line(event, fields));
}

/** Something an operator may want to look at, though nothing broke. */
export function logWarning(event: string, fields: LogFields = {}): void {
  console.warn(line(event, fields));
}

/** Something failed: a dependency, a setting, a bug. */
export function logError(event: string, fields: LogFields = {}): void {
  console.error(line(event, fields));
}

/**
 * An error as a log field: its name and message, never its stack (which
 * would only point into the bundle) and never an object's other properties.
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function line(event: string, fields: LogFields): string {
  // `event` first for the eye, and no field can overwrite it.
  return JSON.stringify(Object.assign({ event }, fields, { event }));
}
