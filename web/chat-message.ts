/**
 * The chat's wire format on the data channel: JSON `{"text"}`, at most 2000
 * characters. The channel is between the two browsers; nothing is stored.
 */

export const MAX_CHAT_LENGTH = 2000;

export interface ChatLine {
  /** Participant id of the sender. */
  from: string;
  text: string;
  at: number;
}

export function encodeChat(text: string): string | null {
  const trimmed = text.trim();
  if (!trimmed || trimmed.length > MAX_CHAT_LENGTH) return null;
  return JSON.stringify({ text: trimmed });
}

/** The text of a frame from a peer, or `null` if it is not a chat message we accept. */
export function decodeChat(frame: unknown): string | null {
  if (typeof frame !== "string" || frame.length > MAX_CHAT_LENGTH * 6 + 20) return null;
  try {
    const value = JSON.parse(frame) as { text?: unknown };
    if (typeof value?.text !== "string") return null;
    const text = value.text.trim();
    return text && text.length <= MAX_CHAT_LENGTH ? text : null;
  } catch {
    return null;
  }
}
