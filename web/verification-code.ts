/**
 * The short code both people read aloud to know that nobody sits in the
 * middle, and the fingerprints it is made of.
 *
 * Why six digits (20 bits) are enough: the code covers both DTLS certificate
 * fingerprints and both sides' nonces of the connection where the two first
 * met (commitment.ts). Each side committed to its fingerprint and nonce
 * before it saw anything of the other's, so a middle that wants both people
 * to see the same code must fix its own certificate and nonce towards one
 * side before it learns that side's fresh nonce: it gets one guess in a
 * million per attempt, and every failed attempt is a call in which the two
 * people hear different codes. Without the nonces a certificate kept for the
 * whole consultation would be known to the middle after its first use, and
 * it could grind a certificate of its own against it in seconds.
 */

export interface CodeSide {
  /** Normalised: `sha-256 AB:CD:…`. */
  fingerprint: string;
  /** Hex; fresh for each connection. */
  nonce: string;
}

/** A fingerprint as `sha-256 AB:CD:…`, whatever case the browser or the SDP used. */
export function normalizeFingerprint(algorithm: string, value: string): string {
  return `${algorithm.toLowerCase()} ${value.toUpperCase()}`;
}

/**
 * The one DTLS fingerprint of an SDP, normalised; `null` when it has none or
 * more than one distinct fingerprint (refused: which one DTLS would check is
 * then not what the commitment covered).
 */
export function dtlsFingerprint(sdp: string): string | null {
  const found = new Set<string>();
  for (const match of sdp.matchAll(/^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/gm)) {
    found.add(normalizeFingerprint(match[1]!, match[2]!));
  }
  return found.size === 1 ? [...found][0]! : null;
}

/** Six digits in two groups, `"123 456"`, the same whichever side computes it. */
export async function verificationCode(a: CodeSide, b: CodeSide): Promise<string> {
  // Ordering by fingerprint makes the input independent of who is "local".
  const [first, second] = [a, b].sort((x, y) => (x.fingerprint < y.fingerprint ? -1 : x.fingerprint > y.fingerprint ? 1 : 0));
  const input = [first!.fingerprint, first!.nonce, second!.fingerprint, second!.nonce].join("\n");
  const digest = new DataView(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input)));
  const digits = String(digest.getUint32(0) % 1_000_000).padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
