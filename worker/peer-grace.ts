import type { Member } from "./storage-schema.ts";

/**
 * A dropped connection is not a departure: media flows peer to peer, so a
 * participant whose WebSocket drops (a network change, a server restart)
 * is usually still in the call. Such a member is `away` from the moment
 * their last socket closed with anything but 1000; the others hear
 * `peer-left` only once `PEER_GRACE_SECONDS` have passed without a new
 * socket. These are the clock's rules; the consultation acts on them.
 */

/** When an away member's grace runs out; undefined for one who is not away. */
export function awayDeadline(member: Member, graceSeconds: number): number | undefined {
  return member.awaySince === undefined ? undefined : member.awaySince + graceSeconds * 1000;
}

/** The first moment some away member's grace runs out, for the alarm. */
export function earliestAwayDeadline(members: Iterable<Member>, graceSeconds: number): number | undefined {
  let earliest: number | undefined;
  for (const member of members) {
    const deadline = awayDeadline(member, graceSeconds);
    if (deadline !== undefined && (earliest === undefined || deadline < earliest)) earliest = deadline;
  }
  return earliest;
}

/** Away members whose grace has run out by `now`. */
export function awayPastGrace(members: Iterable<Member>, now: number, graceSeconds: number): Member[] {
  return [...members].filter((member) => {
    const deadline = awayDeadline(member, graceSeconds);
    return deadline !== undefined && now >= deadline;
  });
}
