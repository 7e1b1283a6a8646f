import type { Mode, Participant, Policy, Role, Verification } from "./protocol.ts";
import { randomSecret } from "./secrets.ts";

/**
 * What a consultation keeps about itself (storage key `meta`). Times are
 * epoch milliseconds. Deleted, with everything else, when it ends.
 */
export interface Meta {
  mode: Mode;
  maxParticipants: number;
  chat: boolean;
  createdAt: number;
  expiresAt: number;
  hostId: string;
  /** Set when the host's last socket closed; the grace period runs from it. */
  hostAwaySince?: number;
}

/**
 * One invited person (storage key `member:{id}`): the host, a known invitee
 * (identified by `iss`+`sub`) or a guest (identified by a one-time code).
 * Only digests of codes, tickets and resume tokens are kept.
 */
export interface Member {
  id: string;
  name: string;
  role: Role;
  verified: Verification;
  /** `invited` until the host admits or denies; the host is `admitted`. */
  status: "invited" | "admitted" | "denied";
  /** identityKey() of the token holder, for the host and known invitees. */
  identity?: string;
  /** The invite's name, used when the token carries none. */
  invitedName?: string;
  /** Guests: whether their one-time code has been used. */
  redeemed?: boolean;
  resumeDigest?: string;
  tickets: { digest: string; expiresAt: number }[];
}

export const META_KEY = "meta";
export const memberKey = (id: string) => `member:${id}`;
export const codeKey = (digest: string) => `code:${digest}`;

export const DEFAULT_NAMES: Record<Role, string> = { host: "Practitioner", guest: "Guest" };

/** Per-consultation ids: random, and never the token's `sub`. */
export function newMemberId(): string {
  return `p${randomSecret(9)}`;
}

export function toParticipant(member: Member): Participant {
  return { id: member.id, name: member.name, role: member.role, verified: member.verified };
}

export function policyOf(meta: Meta): Policy {
  return { mode: meta.mode, maxParticipants: meta.maxParticipants, chat: meta.chat };
}

/** `{id}.{secret}`: the id finds the member without an index. */
export function splitCredential(credential: string): { memberId: string; secret: string } | null {
  const match = /^(p[A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{16,64})$/.exec(credential);
  return match ? { memberId: match[1]!, secret: match[2]! } : null;
}
