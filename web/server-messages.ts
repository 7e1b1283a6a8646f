/**
 * The edge where server frames enter the browser: parse, check the shape
 * enough to trust the `switch` that follows, and say what a close code means.
 */
import { CloseCode, type ServerMessage } from "../worker/protocol.ts";

const serverTypes = new Set(["lobby", "welcome", "knock", "lobby-left", "peer-joined", "peer-left", "peer-away", "peer-back", "signal", "error", "ended", "removed"]);

/** The service's answer to our keep-alive `ping`. */
const PONG = "pong";

/** A server message, or `null` for `pong` and for anything malformed. */
export function parseServerMessage(text: string): ServerMessage | null {
  if (text === PONG) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string" || !serverTypes.has(type)) return null;
  return value as ServerMessage;
}

/** What the element does when the socket closes with `code`. */
export type CloseOutcome = "ended" | "denied" | "removed" | "replaced" | "policy" | "reconnect";

export function closeOutcome(code: number): CloseOutcome {
  switch (code) {
    case CloseCode.ended:
      return "ended";
    case CloseCode.denied:
      return "denied";
    case CloseCode.removed:
      return "removed";
    case CloseCode.replaced:
      return "replaced";
    case CloseCode.policy:
      return "policy";
    default:
      // Network trouble, a server restart, a lost Durable Object: try again.
      return "reconnect";
  }
}

/**
 * Why the consultation ended when the socket closed as ended without an
 * `ended` message (or the way back in answered 404/410): past its expiry
 * it expired; otherwise the host ended it.
 */
export function endReasonWithoutMessage(expiresAt: number | null, now: number): "expired" | "host-ended" {
  return expiresAt !== null && now >= expiresAt ? "expired" : "host-ended";
}
