/**
 * The short code both people read aloud to know that nobody sits in the
 * middle. Each browser takes the DTLS certificate fingerprints from its own
 * and the remote SDP; if the signaling path swapped a certificate, the two
 * browsers see different pairs and so show different codes.
 */

/** The first `a=fingerprint:` of an SDP, normalised: `sha-256 AB:CD:…`. */
export function dtlsFingerprint(sdp: string): string | null {
  const match = /^a=fingerprint:(\S+)\s+([0-9A-Fa-f:]+)\s*$/m.exec(sdp);
  if (!match) return null;
  return `${match[1]!.toLowerCase()} ${match[2]!.toUpperCase()}`;
}

/** Six digits in two groups, `"123 456"`, the same whichever side computes it. */
export async function verificationCode(localSdp: string, remoteSdp: string): Promise<string | null> {
  const local = dtlsFingerprint(localSdp);
  const remote = dtlsFingerprint(remoteSdp);
  if (!local || !remote) return null;
  // Sorting makes the input independent of who is "local".
  const input = [local, remote].sort().join("\n");
  const digest = new DataView(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(input)));
  const digits = String(digest.getUint32(0) % 1_000_000).padStart(6, "0");
  return `${digits.slice(0, 3)} ${digits.slice(3)}`;
}
