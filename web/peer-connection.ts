/**
 * One RTCPeerConnection to one remote participant, negotiated the MDN
 * "perfect negotiation" way (roles in negotiation.ts), with ICE restarted
 * when it fails, and the chat's data channel pre-agreed on both sides
 * (`negotiated: true, id: 0`) so it needs no signaling of its own.
 */
import type { IceServer, SignalData } from "../worker/protocol.ts";
import { decodeChat, encodeChat } from "./chat-message.ts";
import { summarizeStats, type ConnectionQuality } from "./connection-quality.ts";
import { shouldIgnoreOffer, type LinkSignal } from "./negotiation.ts";
import { verificationCode } from "./verification-code.ts";

export interface PeerLinkOptions {
  remoteId: string;
  polite: boolean;
  iceServers: IceServer[];
  /** Our camera and microphone, if any; missing kinds are still received. */
  localStream: MediaStream | null;
  chat: boolean;
  sendSignal(data: SignalData): void;
  onRemoteMedia(stream: MediaStream): void;
  onConnectionState(state: RTCPeerConnectionState): void;
  onChat(text: string): void;
  /** The chat channel opened or closed. */
  onChatReady(): void;
}

export class PeerLink {
  readonly remoteId: string;
  readonly remoteStream = new MediaStream();
  readonly #pc: RTCPeerConnection;
  readonly #chatChannel: RTCDataChannel | null;
  /** Where our video goes: the camera's, or the one a screen share will use. */
  #videoTransceiver: RTCRtpTransceiver;
  #makingOffer = false;
  #ignoreOffer = false;
  #signalQueue: Promise<void> = Promise.resolve();

  readonly #options: PeerLinkOptions;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
    this.remoteId = options.remoteId;
    this.#pc = new RTCPeerConnection({ iceServers: options.iceServers as RTCIceServer[] });

    const stream = options.localStream ?? new MediaStream();
    const audio = stream.getAudioTracks()[0];
    const video = stream.getVideoTracks()[0];
    // addTrack (not addTransceiver) for real tracks, so a remote offer reuses
    // these transceivers instead of adding m-lines of its own. A missing kind
    // gets a receive-only placeholder, which an offer does not reuse: see
    // adoptOfferedTransceivers.
    if (audio) this.#pc.addTrack(audio, stream);
    else this.#pc.addTransceiver("audio", { direction: "recvonly" });
    if (video) {
      const sender = this.#pc.addTrack(video, stream);
      this.#videoTransceiver = this.#pc.getTransceivers().find((t) => t.sender === sender)!;
    } else {
      this.#videoTransceiver = this.#pc.addTransceiver("video", { direction: "recvonly" });
    }

    this.#chatChannel = options.chat ? this.#pc.createDataChannel("chat", { negotiated: true, id: 0 }) : null;
    this.#chatChannel?.addEventListener("open", () => options.onChatReady());
    this.#chatChannel?.addEventListener("close", () => options.onChatReady());
    this.#chatChannel?.addEventListener("message", (event) => {
      const text = decodeChat(event.data);
      if (text) options.onChat(text);
    });

    this.#pc.addEventListener("track", ({ track }) => {
      if (!this.remoteStream.getTracks().includes(track)) this.remoteStream.addTrack(track);
      options.onRemoteMedia(this.remoteStream);
    });
    this.#pc.addEventListener("negotiationneeded", () => void this.#offer());
    this.#pc.addEventListener("icecandidate", ({ candidate }) => {
      if (candidate) options.sendSignal({ candidate: candidate.toJSON() });
    });
    this.#pc.addEventListener("iceconnectionstatechange", () => {
      // A network change (Wi-Fi to mobile) fails ICE; new candidates bring it back.
      if (this.#pc.iceConnectionState === "failed") this.#pc.restartIce();
    });
    this.#pc.addEventListener("connectionstatechange", () => options.onConnectionState(this.#pc.connectionState));
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
  }

  get remoteSdp(): string | undefined {
    return this.#pc.remoteDescription?.sdp;
  }

  get chatOpen(): boolean {
    return this.#chatChannel?.readyState === "open";
  }

  /**
   * Apply a relayed description or candidate, parsed by the mesh. Signals are
   * applied one after another: a candidate must not overtake the description it belongs to.
   */
  handleSignal(signal: LinkSignal): Promise<void> {
    this.#signalQueue = this.#signalQueue.then(() => this.#applySignal(signal));
    return this.#signalQueue;
  }

  async #applySignal(signal: LinkSignal): Promise<void> {
    try {
      if ("description" in signal) {
        const { description } = signal;
        this.#ignoreOffer = shouldIgnoreOffer(description.type, {
          polite: this.#options.polite,
          makingOffer: this.#makingOffer,
          signalingState: this.#pc.signalingState,
        });
        if (this.#ignoreOffer) return;
        // The polite side's implicit rollback happens inside setRemoteDescription.
        await this.#pc.setRemoteDescription(description);
        if (description.type === "offer") {
          this.#adoptOfferedTransceivers();
          await this.#pc.setLocalDescription();
          this.#options.sendSignal({ description: this.#pc.localDescription!.toJSON() });
        }
      } else {
        try {
          await this.#pc.addIceCandidate(signal.candidate);
        } catch (error) {
          // Candidates for an offer we ignored are expected to fail.
          if (!this.#ignoreOffer) throw error;
        }
      }
    } catch (error) {
      console.warn("samtale: negotiation step failed", error);
    }
  }

  /** Send another video track (the screen, or the camera again); `null` sends nothing. */
  async replaceVideoTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.#videoTransceiver.sender.replaceTrack(track);
    // A peer that joined without a camera has a receive-only transceiver; sending
    // on it changes the direction, which renegotiates through negotiationneeded.
    if (track && this.#videoTransceiver.direction === "recvonly") this.#videoTransceiver.direction = "sendrecv";
  }

  sendChat(text: string): boolean {
    const frame = encodeChat(text);
    if (!frame || !this.chatOpen) return false;
    this.#chatChannel!.send(frame);
    return true;
  }

  async quality(): Promise<ConnectionQuality> {
    const report = await this.#pc.getStats();
    return summarizeStats(report.values() as Iterable<{ id: string; type: string } & Record<string, unknown>>);
  }

  /** The code for this pair of certificates, once both descriptions are in place. */
  /** The received audio's level now (0..1), from the receiver's sources: no stats report needed. */
  audioLevel(): number {
    const receiver = this.#pc.getReceivers().find((r) => r.track.kind === "audio");
    return receiver?.getSynchronizationSources()[0]?.audioLevel ?? 0;
  }

  async verificationCode(): Promise<string | null> {
    const local = this.#pc.localDescription?.sdp;
    const remote = this.#pc.remoteDescription?.sdp;
    return local && remote ? verificationCode(local, remote) : null;
  }

  close(): void {
    this.#chatChannel?.close();
    this.#pc.close();
  }

  /**
   * An offer makes transceivers of its own for m-lines no addTrack transceiver
   * took, leaving our receive-only placeholders unused: they would add m-lines
   * in the next offer, and a screen share would go out on one of them, unseen.
   * Stop each one and use the offer's transceiver of its kind instead.
   */
  #adoptOfferedTransceivers(): void {
    for (const placeholder of this.#pc.getTransceivers()) {
      if (placeholder.mid !== null || placeholder.currentDirection === "stopped" || placeholder.direction === "stopped") continue;
      const kind = placeholder.receiver.track.kind;
      const offered = this.#pc.getTransceivers().find((t) => t.mid !== null && t.receiver.track.kind === kind && !t.sender.track);
      if (!offered) continue;
      placeholder.stop();
      if (placeholder === this.#videoTransceiver) this.#videoTransceiver = offered;
    }
  }

  async #offer(): Promise<void> {
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#options.sendSignal({ description: this.#pc.localDescription!.toJSON() });
    } catch (error) {
      console.warn("samtale: could not make an offer", error);
    } finally {
      this.#makingOffer = false;
    }
  }
}
