/**
 * Commit, then reveal: each side of a new connection first sends
 * SHA-256(fingerprint ‖ nonce) and shows its description (which carries its
 * fingerprint) only once it holds the other's commitment. Then it reveals
 * the fingerprint and nonce, and the other side checks them against the
 * commitment. Nobody can choose a certificate or nonce after seeing the
 * other's, which is what keeps a six-digit code safe (verification-code.ts).
 */

/** 32 random bytes as hex, fresh for every connection (a reload included). */
export function freshNonce(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** The commitment to a normalised fingerprint and a nonce, as hex. */
export async function commitment(fingerprint: string, nonce: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`${fingerprint}\n${nonce}`));
  return toHex(new Uint8Array(digest));
}

/** Whether a reveal matches the commitment sent before it. */
export async function revealMatches(committed: string, fingerprint: string, nonce: string): Promise<boolean> {
  return (await commitment(fingerprint, nonce)) === committed;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
