/**
 * The chat's wire format on the data channel: JSON `{"text"}`, at most 2000
 * characters (a longer one from a peer is refused, not cut). The channel is
 * between the two browsers; nothing is stored, and only the last
 * `MAX_CHAT_HISTORY` lines are kept in memory.
 */
import { withoutBidiControls } from "./plain-text.ts";

export const MAX_CHAT_LENGTH = 2000;
export const MAX_CHAT_HISTORY = 200;

export interface ChatLine {
  /** Participant id of the sender. */
  from: string;
  text: string;
  at: number;
}

export function encodeChat(text: string): string | null {
  const trimmed = withoutBidiControls(text).trim();
  if (!trimmed || trimmed.length > MAX_CHAT_LENGTH) return null;
  return JSON.stringify({ text: trimmed });
}

/** The text of a frame from a peer, or `null` if it is not a chat message we accept. */
export function decodeChat(frame: unknown): string | null {
  if (typeof frame !== "string" || frame.length > MAX_CHAT_LENGTH * 6 + 20) return null;
  try {
    const value = JSON.parse(frame) as { text?: unknown };
    if (typeof value?.text !== "string") return null;
    const text = withoutBidiControls(value.text).trim();
    return text && text.length <= MAX_CHAT_LENGTH ? text : null;
  } catch {
    return null;
  }
}

/** `lines` with `line` added, the oldest dropped beyond `MAX_CHAT_HISTORY`. */
export function withChatLine(lines: readonly ChatLine[], line: ChatLine): ChatLine[] {
  return [...lines.slice(-(MAX_CHAT_HISTORY - 1)), line];
}
