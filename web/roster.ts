/**
 * Who is in the call and who waits, as immutable lists: every change makes a
 * new array, so Lit sees it and partners get a fresh `participants` value.
 */
import type { Participant } from "../worker/protocol.ts";

/** A participant as the element exposes it: in group mode each remote one carries its own code. */
export interface CallParticipant extends Participant {
  verificationCode?: string;
  /** In group mode: their code differs from the one shown for them earlier in the consultation; read it aloud again. */
  verificationChanged?: true;
  /** Their line to the service dropped; they are still in the call and may well still be heard and seen. */
  reconnecting?: true;
}

/** `list` with everyone in `away` marked as reconnecting. */
export function withReconnecting(list: readonly CallParticipant[], away: ReadonlySet<string>): CallParticipant[] {
  return list.map((p) => (away.has(p.id) ? { ...p, reconnecting: true } : p));
}

export function withParticipant<T extends Participant>(list: readonly T[], participant: T): T[] {
  const index = list.findIndex((p) => p.id === participant.id);
  if (index === -1) return [...list, participant];
  return list.map((p, i) => (i === index ? participant : p));
}

export function withoutParticipant<T extends Participant>(list: readonly T[], id: string): T[] {
  return list.filter((p) => p.id !== id);
}

/**
 * `list` with `id`'s group verification code set (marked `changed` when it
 * differs from the one shown before), or removed when `code` is `null`.
 */
export function withVerificationCode(list: readonly CallParticipant[], id: string, code: string | null, changed = false): CallParticipant[] {
  return list.map((p) => {
    if (p.id !== id) return p;
    const { verificationCode: _code, verificationChanged: _changed, ...rest } = p;
    if (code === null) return rest;
    return changed ? { ...rest, verificationCode: code, verificationChanged: true } : { ...rest, verificationCode: code };
  });
}
