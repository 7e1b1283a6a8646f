import type { Config } from "./config.ts";
import { ApiError } from "./errors.ts";
import { cleanName, NAME_MAX } from "./display-names.ts";
import type { Mode } from "./protocol.ts";

/** Bodies over this are refused with `too_large` before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

const TTL_DEFAULT = 7200;
const TTL_MIN = 300;
const TTL_MAX = 86400;
const SUB_MAX = 256;

/** Reads a JSON object body; an empty body is `{}`. */
export async function readJsonBody(request: Request): Promise<Record<string, unknown>> {
  const bytes = await readBoundedBody(request);
  if (bytes.byteLength === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new ApiError("invalid_request", "The request body is not valid JSON.");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("invalid_request", "The request body must be a JSON object.");
  }
  return value as Record<string, unknown>;
}

const tooLarge = () => new ApiError("too_large", "The request body is over 16 KiB.");

/**
 * The body's bytes, at most MAX_BODY_BYTES of them. `Content-Length` is only
 * a hint (a chunked body has none, and a client may lie): the bytes are
 * counted as they stream in, and reading stops at the first byte over the
 * limit, so nobody can make the worker buffer more than 16 KiB + one chunk.
 */
async function readBoundedBody(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array();

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > MAX_BODY_BYTES) {
      // Cancelling tells the sender to stop; the rest is never read.
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export interface InviteeInput {
  sub?: string;
  name?: string;
}

export interface CreateInput {
  invitee: InviteeInput;
  mode: Mode;
  maxParticipants: number;
  chat: boolean;
  ttlSeconds: number;
  relayOnly: boolean;
}

export function parseCreate(body: Record<string, unknown>, config: Config): CreateInput {
  // An explicit null is a mistake, not "the default": only absence is.
  const mode = body.mode === undefined ? "pair" : body.mode;
  if (mode !== "pair" && mode !== "group") throw invalid("`mode` must be `pair` or `group`.");

  const maxParticipants = body.maxParticipants === undefined ? (mode === "pair" ? 2 : 5) : body.maxParticipants;
  if (!Number.isInteger(maxParticipants) || (maxParticipants as number) < 2 || (maxParticipants as number) > 5) {
    throw invalid("`maxParticipants` must be a whole number from 2 to 5.");
  }
  if (mode === "pair" && maxParticipants !== 2) throw invalid("A pair holds exactly 2 participants.");

  const chat = body.chat === undefined ? true : body.chat;
  if (typeof chat !== "boolean") throw invalid("`chat` must be true or false.");

  const ttlSeconds = body.ttlSeconds === undefined ? TTL_DEFAULT : body.ttlSeconds;
  if (!Number.isInteger(ttlSeconds) || (ttlSeconds as number) < TTL_MIN || (ttlSeconds as number) > TTL_MAX) {
    throw invalid(`\`ttlSeconds\` must be a whole number from ${TTL_MIN} to ${TTL_MAX}.`);
  }

  const relayOnly = body.relayOnly === undefined ? false : body.relayOnly;
  if (typeof relayOnly !== "boolean") throw invalid("`relayOnly` must be true or false.");
  // Asked for where it cannot be given: refused rather than quietly direct.
  if (relayOnly && !config.hasTurn) throw invalid("This deployment has no TURN relay, so a relay-only consultation is not possible.");

  return {
    invitee: parseInvitee(body.invitee === undefined ? {} : body.invitee),
    mode,
    maxParticipants: maxParticipants as number,
    // A deployment with chat off overrides every consultation.
    chat: chat && config.chat,
    ttlSeconds: ttlSeconds as number,
    // A deployment with RELAY_ONLY=on overrides every consultation.
    relayOnly: relayOnly || config.relayOnly,
  };
}

export function parseInvitee(value: unknown): InviteeInput {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw invalid("`invitee` must be an object: {sub?, name?}.");
  }
  const { sub, name } = value as Record<string, unknown>;
  const invitee: InviteeInput = {};
  if (sub !== undefined) {
    if (typeof sub !== "string" || sub.length === 0 || sub.length > SUB_MAX) {
      throw invalid(`\`sub\` must be a non-empty string of at most ${SUB_MAX} characters.`);
    }
    invitee.sub = sub;
  }
  if (name !== undefined) {
    const cleaned = typeof name === "string" ? cleanName(name) : "";
    if (cleaned.length === 0 || (name as string).length > NAME_MAX) {
      throw invalid(`\`name\` must be a non-empty string of at most ${NAME_MAX} characters.`);
    }
    invitee.name = cleaned;
  }
  return invitee;
}

export type JoinInput = { code: string } | { resume: string };

export function parseGuestJoin(body: Record<string, unknown>): JoinInput {
  if (typeof body.code === "string" && body.code.length > 0 && body.code.length <= 256) return { code: body.code };
  if (typeof body.resume === "string" && body.resume.length > 0 && body.resume.length <= 256) {
    return { resume: body.resume };
  }
  throw new ApiError("unauthorized", "Joining needs a bearer token, an invite `code` or a `resume` token.");
}

function invalid(message: string): ApiError {
  return new ApiError("invalid_request", message);
}
