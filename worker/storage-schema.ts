import type { Mode, Participant, Policy, Role, Verification } from "./protocol.ts";

/**
 * What a consultation stores: one `meta` record, one `member:{id}` record
 * per invited person and one `code:{digest}` entry per guest invite code.
 * Everything is deleted when the consultation ends.
 */

/** What a consultation keeps about itself. Times are epoch milliseconds. */
export interface Meta {
  mode: Mode;
  maxParticipants: number;
  chat: boolean;
  expiresAt: number;
  hostId: string;
  /** TURN relay only. Absent in records written before it existed: false. */
  relayOnly?: boolean;
  /** Set when the host's last socket closed; the grace period runs from it. */
  hostAwaySince?: number;
}

/**
 * One invited person: the host, a known invitee (identified by `iss`+`sub`)
 * or a guest (identified by a one-time code). Only digests of codes,
 * tickets and resume tokens are kept.
 */
export interface Member {
  id: string;
  name: string;
  role: Role;
  verified: Verification;
  /**
   * `invited` until the host admits or denies; the host is `admitted`.
   * `denied` and `removed` are final: no ticket, no place in a group.
   */
  status: "invited" | "admitted" | "denied" | "removed";
  /** identityKey() of the token holder, for the host and known invitees. */
  identity?: string;
  /** The invite's name, used when the token carries none. */
  invitedName?: string;
  /** Guests: whether their one-time code has been used. */
  redeemed?: boolean;
  resumeDigest?: string;
  /**
   * Admitted members whose last socket dropped (any close but 1000): when.
   * Stored, so an eviction during the grace keeps it; cleared on return.
   */
  awaySince?: number;
  /**
   * Admitted members greeted into the call and not yet out of it. Stored,
   * because a runtime that dies takes its sockets with it without a single
   * close event: on the next wake-up, whoever is marked here but has no
   * socket was dropped, not gone (see `ConsultationObject` constructor).
   */
  inCall?: true;
  tickets: { digest: string; expiresAt: number }[];
  /**
   * The order of invitation (the host is 0): the roster is always listed in
   * it, also after a wake-up, when storage hands the records back sorted by
   * key. Absent in records written before it existed.
   */
  invitedIndex?: number;
}

export const META_KEY = "meta";
export const MEMBER_PREFIX = "member:";
export const CODE_PREFIX = "code:";
export const memberKey = (id: string) => `${MEMBER_PREFIX}${id}`;
export const codeKey = (digest: string) => `${CODE_PREFIX}${digest}`;

/** What the wire shows of a member. */
export function toParticipant(member: Member): Participant {
  return { id: member.id, name: member.name, role: member.role, verified: member.verified };
}

/**
 * What the wire shows of a consultation's settings. A deployment switched to
 * `RELAY_ONLY=on` makes consultations already open relay-only from their
 * next `welcome` on, too: the deployment's `on` is never undone.
 */
export function policyOf(meta: Meta, deploymentRelayOnly: boolean): Policy {
  return {
    mode: meta.mode,
    maxParticipants: meta.maxParticipants,
    chat: meta.chat,
    relayOnly: meta.relayOnly === true || deploymentRelayOnly,
  };
}
