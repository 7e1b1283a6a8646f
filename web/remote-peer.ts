/**
 * One remote person in the call, as one record: who they are, the link to
 * them, what arrives over it, its state and its verification code. Each field
 * belongs to the current link; a new link starts them afresh.
 */
import type { Participant } from "../worker/protocol.ts";
import { ChatRateLimit } from "./chat-rate-limit.ts";
import type { MediaState } from "./media-state.ts";
import type { PeerLink } from "./peer-connection.ts";

/** The part of a `PeerLink` the mesh uses; tests give a fake. */
export type Link = Pick<
  PeerLink,
  "chatOpen" | "handleSignal" | "replaceVideoTrack" | "sendChat" | "quality" | "audioLevel" | "verify" | "close"
>;

export class RemotePeer {
  link: Link | null = null;
  /** Their audio and video, once a track arrived on the current link. */
  stream: MediaStream | null = null;
  connectionState: RTCPeerConnectionState = "new";
  /** The code of the current link's pair of certificates, once it is up. */
  verificationCode: string | null = null;
  /** The code differs from the one shown for this person earlier in the consultation: read it aloud again. */
  verificationChanged = false;
  /** Their chat messages beyond the rate are dropped. */
  readonly chatRate = new ChatRateLimit();

  /** Their microphone and camera as they last told us; `null` until they have. It is the person's, so it outlives a link. */
  media: MediaState | null = null;
  /** Their received audio is loud enough to be speech. */
  speaking = false;

  constructor(public participant: Participant) {}

  get id(): string {
    return this.participant.id;
  }

  /** Their video can show: media arrived and the connection is up (no black box while connecting). */
  get mediaUp(): boolean {
    return this.stream !== null && this.connectionState === "connected";
  }

  /** The connection is still good for media: kept when our own line to the service comes back. */
  get linkWorks(): boolean {
    return this.link !== null && this.connectionState === "connected";
  }

  /**
   * Media was flowing and stopped: the connection is `disconnected` or
   * `failed` while ICE is restarted. The tile stays (its last frame) with a notice.
   */
  get mediaInterrupted(): boolean {
    return this.stream !== null && (this.connectionState === "disconnected" || this.connectionState === "failed");
  }

  /** Close the current link and forget what belonged to it. */
  closeLink(): void {
    this.link?.close();
    this.link = null;
    this.stream = null;
    this.connectionState = "new";
    this.verificationCode = null;
    this.verificationChanged = false;
    this.speaking = false;
  }
}
