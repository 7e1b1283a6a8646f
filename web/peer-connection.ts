/**
 * One RTCPeerConnection to one remote participant, negotiated the MDN
 * "perfect negotiation" way (roles in negotiation.ts), with ICE restarted
 * when it fails (ice-restart.ts), and the chat's data channel pre-agreed on both sides
 * (`negotiated: true, id: 0`) so it needs no signaling of its own.
 *
 * It uses the tab's certificate for the consultation, and starts with
 * commit-then-reveal (commitment.ts): its descriptions and candidates wait
 * until both commitments are in; the peer's reveal must match its
 * commitment, its descriptions must carry exactly that fingerprint, and DTLS
 * must have used it. Any mismatch ends the link through `onVerificationFailed`.
 */
import type { IceServer, SignalData } from "../worker/protocol.ts";
import type { ConsultationKeys } from "./certificate-store.ts";
import { decodeChat, encodeChat } from "./chat-message.ts";
import { commitment, freshNonce, revealMatches } from "./commitment.ts";
import { summarizeStats, type ConnectionQuality } from "./connection-quality.ts";
import { IceRestart } from "./ice-restart.ts";
import { shouldIgnoreOffer, type LinkSignal, type Reveal } from "./negotiation.ts";
import { dtlsFingerprint, normalizeFingerprint, verificationCode } from "./verification-code.ts";

export interface PeerLinkOptions {
  remoteId: string;
  polite: boolean;
  iceServers: IceServer[];
  /** The privacy relay: only TURN candidates, so neither side learns the other's address. */
  relayOnly: boolean;
  /** The tab's certificate for this consultation. */
  keys: ConsultationKeys;
  /** We hold a code verified with this peer earlier in the consultation. */
  knowsPeer: boolean;
  /** The peer opened this connection with this commitment; we answer it. Absent: we open it. */
  peerCommit?: string;
  /** Our camera and microphone, if any; missing kinds are still received. */
  localStream: MediaStream | null;
  chat: boolean;
  sendSignal(data: SignalData): void;
  onRemoteMedia(stream: MediaStream): void;
  onConnectionState(state: RTCPeerConnectionState): void;
  onChat(text: string): void;
  /** The chat channel opened or closed. */
  onChatReady(): void;
  /** The peer's commitment, description or certificate did not match: the link is closed. */
  onVerificationFailed(message: string): void;
}

/** What a connected link proved: the certificate DTLS saw, the code of this connection, and the peer's memory of us. */
export interface LinkVerification {
  remoteFingerprint: string;
  /** The code from both sides' fingerprints and this connection's nonces. */
  freshCode: string;
  /** The peer said it holds a code verified with us before. */
  peerKnowsUs: boolean;
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
  readonly #nonce = freshNonce();
  #ownCommit: Promise<string>;
  #peerCommit: string | null;
  #peerReveal: Reveal | null = null;
  /** Signals held until both commitments are in; `null` once they flow. */
  #outbox: SignalData[] | null = [];
  #failed = false;
  readonly #iceRestart: IceRestart;

  readonly #options: PeerLinkOptions;

  constructor(options: PeerLinkOptions) {
    this.#options = options;
    this.remoteId = options.remoteId;
    this.#peerCommit = options.peerCommit ?? null;
    this.#pc = new RTCPeerConnection({
      iceServers: options.iceServers as RTCIceServer[],
      iceTransportPolicy: options.relayOnly ? "relay" : "all",
      certificates: [options.keys.certificate],
    });
    this.#ownCommit = commitment(options.keys.fingerprint, this.#nonce);
    void this.#ownCommit.then((commit) => {
      options.sendSignal(this.#peerCommit ? { commit, answers: this.#peerCommit } : { commit });
      this.#releaseOutbox();
    });

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
    // The side that answers a commitment lets the opener make the first offer
    // (negotiation.ts): its own tracks ride in its answer.
    this.#pc.addEventListener("negotiationneeded", () => {
      if (options.peerCommit && !this.#pc.remoteDescription) return;
      void this.#offer();
    });
    this.#pc.addEventListener("icecandidate", ({ candidate }) => {
      if (candidate) this.#send({ candidate: candidate.toJSON() });
    });
    this.#iceRestart = new IceRestart({ polite: options.polite, restart: () => this.#pc.restartIce() });
    this.#pc.addEventListener("connectionstatechange", () => {
      this.#iceRestart.connectionStateChanged(this.#pc.connectionState);
      options.onConnectionState(this.#pc.connectionState);
    });
  }

  get connectionState(): RTCPeerConnectionState {
    return this.#pc.connectionState;
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
    if (this.#failed) return;
    try {
      if ("commit" in signal) {
        // An answer to our commitment; one for a connection we already replaced names another.
        if (this.#peerCommit === null && signal.answers === (await this.#ownCommit)) {
          this.#peerCommit = signal.commit;
          this.#releaseOutbox();
        }
      } else if ("reveal" in signal) {
        const { fingerprint, nonce } = signal.reveal;
        if (this.#peerCommit === null || this.#peerReveal) return this.#fail("The other side revealed a certificate out of turn.");
        if (!(await revealMatches(this.#peerCommit, fingerprint, nonce))) return this.#fail("The other side's certificate does not match its commitment.");
        this.#peerReveal = signal.reveal;
      } else if ("description" in signal) {
        const { description } = signal;
        if (description.sdp !== undefined) {
          if (!this.#peerReveal) return this.#fail("A description came before the other side revealed its certificate.");
          if (dtlsFingerprint(description.sdp) !== this.#peerReveal.fingerprint) {
            return this.#fail("The other side's description does not carry exactly the certificate it committed to.");
          }
        }
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
          this.#send({ description: this.#pc.localDescription!.toJSON() });
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

  /**
   * Once connected: the certificates DTLS actually used (the selected
   * transport's certificate stats, not an SDP line) must be ours and the one
   * the peer revealed; then the code of this connection. `null` (and the
   * link fails) on any mismatch, or while the stats are not there yet.
   */
  async verify(): Promise<LinkVerification | null> {
    const reveal = this.#peerReveal;
    if (!reveal || this.#failed) return null;
    const stats = new Map<string, Record<string, unknown>>();
    (await this.#pc.getStats()).forEach((value: Record<string, unknown>) => stats.set(value.id as string, value));
    const transport = [...stats.values()].find((s) => s.type === "transport" && s.dtlsState === "connected");
    const certificate = (id: unknown) => {
      const found = stats.get(id as string);
      return found ? normalizeFingerprint(String(found.fingerprintAlgorithm), String(found.fingerprint)) : null;
    };
    let local = certificate(transport?.localCertificateId);
    let remote = certificate(transport?.remoteCertificateId);
    if ((!local || !remote) && [...stats.values()].every((s) => s.type !== "certificate") && this.#pc.connectionState === "connected") {
      // Firefox reports no certificate stats (nor its transport's). There the
      // descriptions in place are the word: the browser itself checks the
      // peer's DTLS certificate against the remote description's one
      // fingerprint (more than one was refused), and ours is the tab's.
      local = dtlsFingerprint(this.#pc.localDescription?.sdp ?? "");
      remote = dtlsFingerprint(this.#pc.remoteDescription?.sdp ?? "");
    }
    if (!local || !remote) return null;
    if (local !== this.#options.keys.fingerprint || remote !== reveal.fingerprint) {
      this.#fail("The certificate in the connection is not the one the other side committed to.");
      return null;
    }
    const freshCode = await verificationCode({ fingerprint: local, nonce: this.#nonce }, { fingerprint: remote, nonce: reveal.nonce });
    return { remoteFingerprint: remote, freshCode, peerKnowsUs: reveal.pinned };
  }

  /** The received audio's level now (0..1), from the receiver's sources: no stats report needed. */
  audioLevel(): number {
    const receiver = this.#pc.getReceivers().find((r) => r.track.kind === "audio");
    return receiver?.getSynchronizationSources()[0]?.audioLevel ?? 0;
  }

  close(): void {
    this.#failed = true;
    this.#iceRestart.cancel();
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
      this.#send({ description: this.#pc.localDescription!.toJSON() });
    } catch (error) {
      console.warn("samtale: could not make an offer", error);
    } finally {
      this.#makingOffer = false;
    }
  }

  /** Held until both commitments are in: nothing of our certificate goes out before. */
  #send(data: SignalData): void {
    if (this.#outbox) this.#outbox.push(data);
    else this.#options.sendSignal(data);
  }

  /** Both commitments are in (ours sent, theirs held): reveal ours, then what waited. */
  #releaseOutbox(): void {
    if (!this.#outbox || this.#peerCommit === null || this.#failed) return;
    void this.#ownCommit.then(() => {
      const waiting = this.#outbox;
      if (!waiting || this.#failed) return;
      this.#outbox = null;
      const { fingerprint } = this.#options.keys;
      this.#options.sendSignal({ reveal: { fingerprint, nonce: this.#nonce, pinned: this.#options.knowsPeer } });
      for (const data of waiting) this.#options.sendSignal(data);
    });
  }

  #fail(message: string): void {
    if (this.#failed) return;
    this.close();
    this.#options.onVerificationFailed(message);
  }
}
