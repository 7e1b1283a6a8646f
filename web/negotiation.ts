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
 * - Every pair of peers has exactly one polite side, the one whose
 *   participant id sorts greater: later renegotiations (screen share, device
 *   change) may collide, and then the impolite side ignores the colliding
 *   offer while the polite side rolls back and answers.
 */
import { dtlsFingerprint } from "./verification-code.ts";

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

/**
 * A description from a brand-new peer connection on the other side: its DTLS
 * certificate differs from the one we negotiated with. That happens when the
 * peer reloaded and the server replaced its socket without a `peer-left`;
 * our old connection cannot continue, so we start a fresh one for it.
 */
export function isNewSession(currentRemoteSdp: string | undefined, incomingSdp: string | undefined): boolean {
  if (!currentRemoteSdp || !incomingSdp) return false;
  const current = dtlsFingerprint(currentRemoteSdp);
  const incoming = dtlsFingerprint(incomingSdp);
  return current !== null && incoming !== null && current !== incoming;
}

/** What travels in `signal.data`: a newcomer's hello, one description or one ICE candidate. */
export type PeerSignal =
  | { hello: true }
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
