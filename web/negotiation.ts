/**
 * The decisions of perfect negotiation (MDN), kept pure so they can be tested
 * without a browser.
 *
 * Rules:
 * - Who offers first: the peer already in the call. A newcomer (a fresh
 *   `welcome`) sends each participant a `hello` signal and waits; each of
 *   them answers with a fresh connection and its offer. So the first
 *   negotiation never collides (a collision right at the start, while TURN
 *   candidates are still being gathered, left Chromium gathering forever).
 *   A `welcome` after our own reconnection greets only those whose
 *   connection no longer works: a dropped line to the service is not a
 *   departure, the others kept their side (they heard `peer-away`), and
 *   media may never have stopped. The hello also covers a peer that
 *   reloaded while the server replaced its socket without any `peer-left`.
 * - Every new connection starts with commitments (commitment.ts): the side
 *   that opens it sends `{commit}`, the other answers `{commit, answers}`
 *   naming the commitment it answers, so a stale answer from a connection
 *   already replaced is recognised and dropped. A `{commit}` without
 *   `answers` always means the peer opened a new connection (a reload, a
 *   second hello): ours to it is replaced. Nothing else (description,
 *   candidate) is sent before both commitments are in; then `{reveal}`.
 * - Every pair of peers has exactly one polite side, the one whose
 *   participant id sorts greater: later renegotiations (screen share, device
 *   change) may collide, and then the impolite side ignores the colliding
 *   offer while the polite side rolls back and answers.
 */
export function isPolite(you: string, peer: string): boolean {
  return you > peer;
}

export interface OfferContext {
  polite: boolean;
  /** We are between createOffer and sending it. */
  makingOffer: boolean;
  signalingState: RTCSignalingState;
}

/** Whether an incoming offer collides with ours and we, being impolite, drop it. */
export function shouldIgnoreOffer(type: RTCSdpType, context: OfferContext): boolean {
  const collision = type === "offer" && (context.makingOffer || context.signalingState !== "stable");
  return collision && !context.polite;
}

/** The fingerprint and nonce a commitment covered, and whether the sender has verified us before. */
export interface Reveal {
  fingerprint: string;
  nonce: string;
  /** The sender holds a code it verified with us earlier in this consultation (certificate-store.ts). */
  pinned: boolean;
}

/** What travels in `signal.data`: a newcomer's hello, a commitment or its reveal, one description or one ICE candidate. */
export type PeerSignal =
  | { hello: true }
  | { commit: string; answers?: string }
  | { reveal: Reveal }
  | { description: { type: RTCSdpType; sdp?: string } }
  | { candidate: RTCIceCandidateInit };

/** What a link applies: the hello is the mesh's, which starts a fresh link for it. */
export type LinkSignal = Exclude<PeerSignal, { hello: true }>;

const sdpTypes: readonly string[] = ["offer", "answer", "pranswer", "rollback"];

/** Validate a relayed `signal.data`; anything else is dropped (the server relays it unchanged). */
export function parsePeerSignal(data: unknown): PeerSignal | null {
  if (typeof data !== "object" || data === null) return null;
  const record = data as Record<string, unknown>;
  if (record.hello === true) return { hello: true };
  if (isHex(record.commit)) {
    if (record.answers === undefined) return { commit: record.commit };
    return isHex(record.answers) ? { commit: record.commit, answers: record.answers } : null;
  }
  const reveal = record.reveal as Record<string, unknown> | undefined;
  if (reveal && typeof reveal === "object") {
    const { fingerprint, nonce, pinned } = reveal;
    if (typeof fingerprint !== "string" || fingerprint.length > 200 || !isHex(nonce) || typeof pinned !== "boolean") return null;
    return { reveal: { fingerprint, nonce, pinned } };
  }
  const description = record.description as Record<string, unknown> | undefined;
  if (description && typeof description === "object") {
    if (typeof description.type !== "string" || !sdpTypes.includes(description.type)) return null;
    if (description.sdp !== undefined && typeof description.sdp !== "string") return null;
    return { description: { type: description.type as RTCSdpType, ...(description.sdp !== undefined ? { sdp: description.sdp as string } : {}) } };
  }
  const candidate = record.candidate as Record<string, unknown> | undefined;
  if (candidate && typeof candidate === "object" && typeof candidate.candidate === "string") {
    return { candidate: candidate as RTCIceCandidateInit };
  }
  return null;
}

/** A SHA-256 or nonce as the element sends it: 64 lower-case hex digits. */
function isHex(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}
