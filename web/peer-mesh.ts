/**
 * The media side of the call, as a Lit reactive controller: one `RemotePeer`
 * per remote person, the hello fan-out that starts each connection
 * (negotiation.ts), the screen track every link sends, chat over the links'
 * data channels, verification codes (with the tab's certificate and the
 * codes already verified, certificate-store.ts) and connection quality. It knows nothing
 * of the service: the call session tells it who is in the call and hands it
 * their signals; it sends its own through `send`.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { IceServer, Participant, Policy, SignalData } from "../worker/protocol.ts";
import type { PeerDirectory } from "./call-session.ts";
import { deleteKeys, loadKeys, saveKeys, type ConsultationKeys } from "./certificate-store.ts";
import { withChatLine, type ChatLine } from "./chat-message.ts";
import { weakestQuality, type ConnectionQuality } from "./connection-quality.ts";
import { mediaStateSignal, parseMediaState, type MediaState } from "./media-state.ts";
import { isPolite, parsePeerSignal } from "./negotiation.ts";
import { PeerLink, type LinkVerification, type PeerLinkOptions } from "./peer-connection.ts";
import { RemotePeer, type Link } from "./remote-peer.ts";
import { withVerificationCode, type CallParticipant } from "./roster.ts";
import { isSpeaking, SPEAKING_INTERVAL_MS } from "./speaking.ts";

/** How often the connection indicator refreshes. */
const STATS_INTERVAL_MS = 3000;

/** What the element tells the page and screen readers about. */
export interface MeshEvents {
  /** In a pair: the code of the connection that just came up; `changed` when it differs from the one shown before. */
  pairCode(code: string, changed: boolean): void;
  /** A peer's commitment, description or certificate did not match: that connection is closed. */
  verificationFailed(peer: RemotePeer, message: string): void;
  /** In a group: a peer's code came or went. */
  codesChanged(): void;
  /** In a group: the code of a new connection to `peer` differs from the one shown for them before. */
  peerCodeChanged(peer: RemotePeer, code: string): void;
  chat(from: RemotePeer, text: string): void;
  /** Our screen now goes out instead of the camera. */
  sharingStarted(): void;
  /** Media from someone stopped arriving on a connection that was up (`true`), or every such connection came back (`false`). */
  mediaInterrupted(interrupted: boolean): void;
}

export interface PeerMeshOptions {
  send(to: string, data: SignalData): void;
  /** Our camera and microphone, if any. */
  localStream(): MediaStream | null;
  /** Whether our microphone and camera are on, as the others should show it. */
  localMediaState(): MediaState;
  events: MeshEvents;
  /** Makes the link to one peer; a `PeerLink` unless a test gives a fake. */
  createLink?: (options: PeerLinkOptions) => Link;
  /** Where the certificate and verified codes are kept; IndexedDB unless a test gives another. */
  keyStore?: KeyStore;
}

export interface KeyStore {
  load(consultation: string): Promise<ConsultationKeys>;
  save(consultation: string, keys: ConsultationKeys): Promise<void>;
  delete(consultation: string): Promise<void>;
}

const indexedDbKeys: KeyStore = { load: loadKeys, save: saveKeys, delete: deleteKeys };

export class PeerMesh implements ReactiveController, PeerDirectory {
  chatLines: ChatLine[] = [];
  quality: ConnectionQuality | null = null;

  readonly #peers = new Map<string, RemotePeer>();
  #you = "";
  #iceServers: IceServer[] = [];
  #policy: Policy | null = null;
  #screenTrack: MediaStreamTrack | null = null;
  /** The browser's screen picker is open. */
  #pickingScreen = false;
  /** The call is over: nothing may start again (a screen picked after the end, say). */
  #closed = false;
  #statsTimer: ReturnType<typeof setInterval> | undefined;
  #consultation: string | null = null;
  /** The tab's certificate and verified codes; `prepare` loads them before any welcome. */
  #keys: ConsultationKeys | null = null;
  /** `mediaInterrupted` as last told, so each change is told once. */
  #toldInterrupted = false;
  #speakingTimer: ReturnType<typeof setInterval> | undefined;

  readonly #host: ReactiveControllerHost;
  readonly #options: PeerMeshOptions;

  constructor(host: ReactiveControllerHost, options: PeerMeshOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Removed from the page: no connection, timer or screen capture outlives the element. */
  hostDisconnected(): void {
    this.close();
  }

  /** Everyone else in the call, in the order they came. */
  get remotes(): RemotePeer[] {
    return [...this.#peers.values()];
  }

  /** In a pair, the one code both people read aloud; `null` before the link is up and in a group. */
  get pairCode(): string | null {
    if (this.#policy?.mode !== "pair") return null;
    return this.remotes.find((peer) => peer.verificationCode)?.verificationCode ?? null;
  }

  /** In a pair, whether the code differs from the one read aloud before. */
  get pairCodeChanged(): boolean {
    return this.#policy?.mode === "pair" && this.remotes.some((peer) => peer.verificationCode && peer.verificationChanged);
  }

  get sharingScreen(): boolean {
    return this.#screenTrack !== null;
  }

  /** Someone's media stopped arriving on a connection that was up: a dead relay, a network change. */
  get mediaInterrupted(): boolean {
    return this.remotes.some((peer) => peer.mediaInterrupted);
  }

  /** Chat can be sent while any peer's channel is open. */
  get chatReady(): boolean {
    return this.remotes.some((peer) => peer.link?.chatOpen);
  }

  /** `participants` as the element shows them: in a group, each remote one with its own code, and whether it changed. */
  withCodes(participants: readonly Participant[]): CallParticipant[] {
    if (this.#policy?.mode !== "group") return [...participants];
    return this.remotes.reduce<CallParticipant[]>(
      (list, peer) => (peer.verificationCode ? withVerificationCode(list, peer.id, peer.verificationCode, peer.verificationChanged) : list),
      [...participants],
    );
  }

  // ---------------------------------------------------------------------------
  // Who is in the call (the session's PeerDirectory)

  /** Load (or make) the tab's certificate for `consultation`; `join()` awaits it before connecting. */
  async prepare(consultation: string): Promise<void> {
    this.#consultation = consultation;
    this.#keys = await this.#keyStore.load(consultation);
  }

  restart(you: Participant, participants: Participant[], iceServers: IceServer[], policy: Policy): void {
    this.#closed = false;
    this.#you = you.id;
    this.#iceServers = iceServers;
    this.#policy = policy;
    const before = new Map(this.#peers);
    this.#peers.clear();
    for (const participant of participants) {
      if (participant.id === you.id) continue;
      const kept = before.get(participant.id);
      before.delete(participant.id);
      // Back after our own line to the service dropped: a connection that
      // still works carries on untouched (media never needed the service).
      if (kept?.linkWorks) {
        kept.participant = participant;
        this.#peers.set(participant.id, kept);
        continue;
      }
      kept?.closeLink();
      // Those already in the call offer to a newcomer once greeted (negotiation.ts).
      this.#peers.set(participant.id, new RemotePeer(participant));
      this.#options.send(participant.id, { hello: true });
    }
    // Whoever is not in the welcome left meanwhile.
    for (const gone of before.values()) gone.closeLink();
    clearInterval(this.#statsTimer);
    this.#statsTimer = setInterval(() => void this.#refreshQuality(), STATS_INTERVAL_MS);
    clearInterval(this.#speakingTimer);
    this.#speakingTimer = setInterval(() => this.#refreshSpeaking(), SPEAKING_INTERVAL_MS);
    this.#host.requestUpdate();
  }

  add(participant: Participant): void {
    if (participant.id === this.#you) return;
    const peer = this.#peers.get(participant.id);
    if (!peer) {
      this.#peers.set(participant.id, new RemotePeer(participant));
      return;
    }
    // Back on a new page: its hello follows, and we offer then.
    peer.participant = participant;
    this.#closeLink(peer);
  }

  remove(id: string): void {
    const peer = this.#peers.get(id);
    if (!peer) return;
    this.#closeLink(peer);
    this.#peers.delete(id);
  }

  /** A peer's signal, parsed once here; the link gets it typed. */
  receive(from: string, data: SignalData): void {
    const peer = this.#peers.get(from);
    if (!peer) return;
    const media = parseMediaState(data);
    if (media) {
      peer.media = media;
      this.#host.requestUpdate();
      return;
    }
    const signal = parsePeerSignal(data);
    if (!signal) return;
    if ("hello" in signal) {
      // A newcomer greets us: we start a fresh connection, which makes the offer.
      this.#closeLink(peer);
      this.#openLink(peer);
      return;
    }
    if ("commit" in signal && signal.answers === undefined) {
      // The peer opened a new connection (a reload, a hello of ours): ours gives way to it.
      this.#closeLink(peer);
      this.#openLink(peer, signal.commit);
      return;
    }
    // Without a connection opened by commitments, nothing else is taken.
    void peer.link?.handleSignal(signal);
  }

  /** Our microphone or camera was switched: everyone's tile of us follows. */
  mediaStateChanged(): void {
    for (const id of this.#peers.keys()) this.#sendMediaState(id);
  }

  /** The call is over for this tab: its certificate and verified codes are deleted too. */
  close(): void {
    if (this.#consultation) void this.#keyStore.delete(this.#consultation);
    this.#consultation = null;
    this.#keys = null;
    this.#closed = true;
    clearInterval(this.#statsTimer);
    clearInterval(this.#speakingTimer);
    for (const peer of this.#peers.values()) peer.closeLink();
    this.#peers.clear();
    this.#screenTrack?.stop();
    this.#screenTrack = null;
    this.#host.requestUpdate();
  }

  // ---------------------------------------------------------------------------
  // Screen and chat

  async toggleScreenShare(): Promise<void> {
    if (this.#screenTrack) return this.#stopScreenShare();
    // A second click while the browser's picker is open would start a second capture.
    if (this.#pickingScreen) return;
    this.#pickingScreen = true;
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
      const track = display.getVideoTracks()[0];
      // The call ended while the picker was open: nothing may go on capturing.
      if (!track || this.#closed) {
        for (const t of display.getTracks()) t.stop();
        return;
      }
      this.#screenTrack = track;
      this.#host.requestUpdate();
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener("ended", () => void this.#stopScreenShare());
      for (const peer of this.#peers.values()) await peer.link?.replaceVideoTrack(track);
      this.#options.events.sharingStarted();
    } catch {
      // Cancelled in the browser's picker: nothing to do.
    } finally {
      this.#pickingScreen = false;
    }
  }

  async #stopScreenShare(): Promise<void> {
    const track = this.#screenTrack;
    if (!track) return;
    this.#screenTrack = null;
    this.#host.requestUpdate();
    track.stop();
    const camera = this.#options.localStream()?.getVideoTracks()[0] ?? null;
    for (const peer of this.#peers.values()) await peer.link?.replaceVideoTrack(camera);
  }

  sendChat(text: string): void {
    let sent = false;
    for (const peer of this.#peers.values()) sent = peer.link?.sendChat(text) || sent;
    if (!sent) return;
    this.chatLines = withChatLine(this.chatLines, { from: this.#you, text, at: Date.now() });
    this.#host.requestUpdate();
  }

  // ---------------------------------------------------------------------------
  // Links

  get #keyStore(): KeyStore {
    return this.#options.keyStore ?? indexedDbKeys;
  }

  #openLink(peer: RemotePeer, peerCommit?: string): Link {
    const current = () => peer.link === link && this.#peers.get(peer.id) === peer;
    const link = (this.#options.createLink ?? ((o) => new PeerLink(o)))({
      remoteId: peer.id,
      polite: isPolite(this.#you, peer.id),
      iceServers: this.#iceServers,
      relayOnly: this.#policy?.relayOnly === true,
      // Loaded by prepare(), which join() awaits before any welcome can arrive.
      keys: this.#keys!,
      knowsPeer: this.#keys?.pins[peer.id] !== undefined,
      ...(peerCommit ? { peerCommit } : {}),
      localStream: this.#options.localStream(),
      chat: this.#policy?.chat ?? false,
      sendSignal: (data) => this.#options.send(peer.id, data),
      onRemoteMedia: (stream) => {
        if (!current()) return;
        peer.stream = stream;
        this.#host.requestUpdate();
      },
      onConnectionState: (state) => {
        if (!current()) return;
        peer.connectionState = state;
        this.#host.requestUpdate();
        this.#tellInterruption();
        if (state === "connected") void this.#onConnected(peer, link);
      },
      onChat: (text) => {
        if (!current() || !peer.chatRate.take(Date.now())) return;
        this.chatLines = withChatLine(this.chatLines, { from: peer.id, text, at: Date.now() });
        this.#host.requestUpdate();
        this.#options.events.chat(peer, text);
      },
      onChatReady: () => this.#host.requestUpdate(),
      onVerificationFailed: (message) => {
        if (!current()) return;
        this.#closeLink(peer);
        this.#options.events.verificationFailed(peer, message);
      },
    });
    peer.link = link;
    if (this.#screenTrack) void link.replaceVideoTrack(this.#screenTrack);
    return link;
  }

  #tellInterruption(): void {
    const interrupted = this.mediaInterrupted;
    if (interrupted === this.#toldInterrupted) return;
    this.#toldInterrupted = interrupted;
    this.#options.events.mediaInterrupted(interrupted);
  }

  #closeLink(peer: RemotePeer): void {
    if (!peer.link) return;
    // The code belonged to that connection; the next one brings its own.
    const hadCode = peer.verificationCode !== null;
    peer.closeLink();
    this.#host.requestUpdate();
    if (hadCode && this.#policy?.mode === "group") this.#options.events.codesChanged();
  }

  async #onConnected(peer: RemotePeer, link: Link): Promise<void> {
    // Their tile of us appears now: it should say at once whether we are muted.
    this.#sendMediaState(peer.id);
    const verified = await link.verify();
    if (!verified || peer.link !== link) return;
    void this.#refreshQuality();
    const { code, changed } = this.#codeFor(peer, verified);
    if (code === peer.verificationCode) return;
    peer.verificationCode = code;
    peer.verificationChanged = changed;
    this.#host.requestUpdate();
    if (this.#policy?.mode === "group") {
      this.#options.events.codesChanged();
      if (changed) this.#options.events.peerCodeChanged(peer, code);
    } else {
      this.#options.events.pairCode(code, changed);
    }
  }

  /**
   * The code to show for a connection that passed verification. The same
   * certificate as before, on both sides (each remembers the other's and says
   * so in its reveal), keeps the code both people already read aloud: reloads
   * and reconnects change nothing. Otherwise this connection's own code is
   * shown and remembered, and it is `changed` if it differs from the one read
   * before (a lost certificate, another device, or someone in the middle).
   */
  #codeFor(peer: RemotePeer, verified: LinkVerification): { code: string; changed: boolean } {
    const keys = this.#keys;
    const pin = keys?.pins[peer.id];
    if (pin && pin.fingerprint === verified.remoteFingerprint && verified.peerKnowsUs) return { code: pin.code, changed: false };
    const code = verified.freshCode;
    if (keys && this.#consultation) {
      keys.pins[peer.id] = { fingerprint: verified.remoteFingerprint, code };
      void this.#keyStore.save(this.#consultation, keys);
    }
    return { code, changed: pin !== undefined && pin.code !== code };
  }

  #sendMediaState(id: string): void {
    this.#options.send(id, mediaStateSignal(this.#options.localMediaState()));
  }

  /** Re-render only when someone starts or stops speaking, not on every level reading. */
  #refreshSpeaking(): void {
    let changed = false;
    for (const peer of this.#peers.values()) {
      const speaking = peer.mediaUp && peer.media?.microphone !== false && isSpeaking(peer.speaking, peer.link?.audioLevel() ?? 0);
      if (speaking === peer.speaking) continue;
      peer.speaking = speaking;
      changed = true;
    }
    if (changed) this.#host.requestUpdate();
  }

  async #refreshQuality(): Promise<void> {
    const links = this.remotes.filter((peer) => peer.connectionState === "connected").map((peer) => peer.link!);
    this.quality = weakestQuality(await Promise.all(links.map((link) => link.quality())));
    this.#host.requestUpdate();
  }
}
