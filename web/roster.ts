/**
 * Who is in the call and who waits, as immutable lists: every change makes a
 * new array, so Lit sees it and partners get a fresh `participants` value.
 */
import type { Participant } from "../worker/protocol.ts";

/** A participant as the element exposes it: in group mode each remote one carries its own code. */
export interface CallParticipant extends Participant {
  verificationCode?: string;
}

export function withParticipant<T extends Participant>(list: readonly T[], participant: T): T[] {
  const index = list.findIndex((p) => p.id === participant.id);
  if (index === -1) return [...list, participant];
  return list.map((p, i) => (i === index ? participant : p));
}

export function withoutParticipant<T extends Participant>(list: readonly T[], id: string): T[] {
  return list.filter((p) => p.id !== id);
}

/** After a `welcome`, which peer connections to keep, open and close. */
export function reconcilePeers(
  openPeers: Iterable<string>,
  participants: readonly Participant[],
  you: string,
): { keep: string[]; open: string[]; close: string[] } {
  const wanted = new Set(participants.map((p) => p.id).filter((id) => id !== you));
  const existing = new Set(openPeers);
  return {
    keep: [...existing].filter((id) => wanted.has(id)),
    open: [...wanted].filter((id) => !existing.has(id)),
    close: [...existing].filter((id) => !wanted.has(id)),
  };
}
