import { randomSecret } from "./secrets.ts";

/**
 * The one format of tickets and resume tokens: `{memberId}.{secret}`. The id
 * finds the member without an index; only the secret's digest is stored.
 */

/** Per-consultation member ids: random, and never the token's `sub`. */
export function newMemberId(): string {
  return `p${randomSecret(9)}`;
}

export function formatCredential(memberId: string, secret: string): string {
  return `${memberId}.${secret}`;
}

export function splitCredential(credential: string): { memberId: string; secret: string } | null {
  const match = /^(p[A-Za-z0-9_-]{12})\.([A-Za-z0-9_-]{16,64})$/.exec(credential);
  return match ? { memberId: match[1]!, secret: match[2]! } : null;
}
