import { msg, str, updateWhenLocaleChanges } from "@lit/localize";
import { html, LitElement, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { EndReason, IceServer, Participant, Policy, ServerMessage, SignalData } from "../../worker/protocol.ts";
import { CallError, type CallErrorCode } from "../call-error.ts";
import { isAllowed, isFinal, nextState, type CallAction, type CallEvent, type CallState } from "../call-state.ts";
import "../chat-panel/chat-panel.ts";
import type { ChatLine } from "../chat-message.ts";
import "../connection-indicator/connection-indicator.ts";
import type { ConnectionQuality } from "../connection-quality.ts";
import { defineOnce } from "../define.ts";
import "../device-check/device-check.ts";
import "../knock-list/knock-list.ts";
import { chooseLocale } from "../locale-choice.ts";
import { activeLocale, useLocale } from "../localization.ts";
import { LocalMedia } from "../media-devices.ts";
import { isNewSession, isPolite, parsePeerSignal } from "../negotiation.ts";
import "../participant-list/participant-list.ts";
import { PeerLink } from "../peer-connection.ts";
import { withParticipant, withoutParticipant, withVerificationCode, type CallParticipant } from "../roster.ts";
import { endReasonWithoutMessage } from "../server-messages.ts";
import { SignalingClient, type Credential } from "../signaling-client.ts";
import { playKnockCue } from "../sounds.ts";
import { forget, recall, remember } from "../tab-memory.ts";
import { controlStyles } from "../theme.ts";
import { deniedView, endedView, errorView, joiningView, lobbyView } from "./status-views.ts";
import { callStyles } from "./styles.ts";

/** How often the connection indicator refreshes. */
const STATS_INTERVAL_MS = 3000;
/** How long the host waits for the server's `ended` before ending by `DELETE`. */
const END_TIMEOUT_MS = 5000;

/**
 * @summary A secure video consultation: device check, lobby, the call, and its end.
 *
 * @attr consultation - The consultation id.
 * @attr token - A partner JWT (host or known invitee). Give this or `code`.
 * @attr code - A guest's one-time invite code. Give this or `token`.
 * @attr api-base - The Samtale service's origin; default the page's. A trailing slash is fine.
 * @attr lang - `nb`, `sv` or `en`; default the browser's language.
 * @attr no-device-check - Skip the device check and join at once. A reload of a tab that was
 *   already in this consultation (or waiting in its lobby) skips it too.
 * @attr state - Read-only, reflected: `idle`, `checking`, `joining`, `lobby`,
 *   `connected`, `reconnecting`, `ended`, `denied` or `error`.
 *
 * @event samtale-state - `{state}` whenever `state` changes.
 * @event samtale-knock - `{participant}` someone waits in the lobby (host only).
 * @event samtale-participants - `{participants}` the admitted people changed (or a group verification code arrived).
 * @event samtale-verification - `{code}` the pair's verification code, once the media connection is up.
 * @event samtale-ended - `{reason}` the server ended the consultation: `host-ended`, `expired` or `host-away`.
 *   Leaving with `leave()` sets `state` to `ended` without this event.
 * @event samtale-error - `{code, message}` a refusal or failure; the codes are the service's
 *   (`unauthorized`, `forbidden`, `age_restricted`, `not_found`, `gone`, `code_used`, `full`,
 *   `invalid_request`, `too_large`, `rate_limited`) plus `network`, `replaced`, `policy`, `unsupported`.
 *
 * @csspart local-video - Your own camera `<video>`, while the camera is on.
 * @csspart remote-video - One `<video>` per remote participant whose media is up.
 * @csspart participants - The participant list.
 * @csspart lobby - The guest's waiting view.
 * @csspart controls - The bar with microphone, camera, screen share and end/leave.
 * @csspart chat - The chat panel (absent when chat is off).
 *
 * @cssproperty --samtale-accent - Primary buttons and highlights (default #1d5c84).
 * @cssproperty --samtale-accent-contrast - Text on accent and danger buttons (default #ffffff).
 * @cssproperty --samtale-background - The element's background (default #f4f6f8).
 * @cssproperty --samtale-surface - Cards and buttons (default #ffffff).
 * @cssproperty --samtale-text - Body text (default #1b2733).
 * @cssproperty --samtale-muted - Secondary text (default #4a5866).
 * @cssproperty --samtale-border - Borders, also of inputs and buttons, so at least 3:1 against surface and background (default #7a8794).
 * @cssproperty --samtale-danger - End button and problem notes (default #a8261d).
 * @cssproperty --samtale-ok - Good connection, microphone level (default #1e7b45).
 * @cssproperty --samtale-warning - Unstable connection, reconnecting (default #a15c00).
 * @cssproperty --samtale-attention - Background of notices and the knock list (default #eaf3fa).
 * @cssproperty --samtale-focus - The keyboard focus ring (default #0b57d0).
 * @cssproperty --samtale-radius - Corner radius (default 12px).
 * @cssproperty --samtale-font - Font stack (default the system's).
 */
export class SamtaleCall extends LitElement {
  static override styles = [controlStyles, callStyles];

  @property() consultation = "";
  @property() token: string | null = null;
  @property() code: string | null = null;
  @property({ attribute: "api-base" }) apiBase: string | null = null;
  @property() override lang = "";
  @property({ type: Boolean, attribute: "no-device-check" }) noDeviceCheck = false;

  @state() private callState: CallState = "idle";
  @state() private self: Participant | null = null;
  @state() private roster: CallParticipant[] = [];
  @state() private waiting: Participant[] = [];
  /** When the consultation expires (epoch ms), once a welcome said so. */
  private expiresAt: number | null = null;
  /** Who will let a waiting guest in; the lobby names nobody else. */
  @state() private hostName = "";
  @state() private pairCode: string | null = null;
  @state() private policy: Policy | null = null;
  /** Let into the call at least once (a guest in the lobby is not, yet). */
  @state() private admitted = false;
  @state() private remoteMedia = new Map<string, MediaStream>();
  @state() private chatLines: ChatLine[] = [];
  @state() private chatReady = false;
  @state() private quality: ConnectionQuality | null = null;
  @state() private sharingScreen = false;
  @state() private errorCode: CallErrorCode = "internal";
  /** Recent screen reader announcements, each its own node in the live region. */
  @state() private announcements: { id: number; text: string }[] = [];

  private readonly media = new LocalMedia(this);
  private signaling: SignalingClient | null = null;
  private readonly peers = new Map<string, PeerLink>();
  private iceServers: IceServer[] = [];
  private screenTrack: MediaStreamTrack | null = null;
  /** The browser's screen picker is open. */
  private pickingScreen = false;
  private statsTimer: ReturnType<typeof setInterval> | undefined;
  private announced = 0;
  /** Who was waiting before the last welcome: their knocks, sent again after it, bring no cue. */
  private knownKnocks = new Set<string>();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  // ---------------------------------------------------------------------------
  // Public, read-only state

  /** Where the call is; reflected as the `state` attribute. */
  get state(): CallState {
    return this.callState;
  }

  /** Your own participant, once the server said who you are. */
  get you(): Participant | null {
    return this.self;
  }

  /** Every admitted participant, yourself included; in a group each remote one carries `verificationCode`. */
  get participants(): CallParticipant[] {
    return this.roster;
  }

  /** People waiting in the lobby (host only). */
  get knocking(): Participant[] {
    return this.waiting;
  }

  /** In a pair, `"123 456"` once the media connection is up; `null` before and in group mode. */
  get verificationCode(): string | null {
    return this.pairCode;
  }

  // ---------------------------------------------------------------------------
  // Public methods

  /** Leave the device check and join. Resolves once the connection to the service is open. */
  async join(): Promise<void> {
    this.require("join");
    this.transition("join");
    const credential = this.credential();
    if (!credential) throw this.fail(new CallError("invalid_request", "Give the element a consultation and a token or a code."));
    // Without it there is no call at all; a missing camera is only a device check note.
    if (typeof RTCPeerConnection !== "function") throw this.fail(new CallError("unsupported", "This browser cannot make video calls."));
    await this.media.start();
    // Removed or left while the camera started: no socket, no knock.
    if (this.callState !== "joining") return;
    this.signaling = new SignalingClient({
      apiBase: this.apiBase,
      consultation: this.consultation,
      credential,
      onMessage: (message) => this.handleMessage(message),
      onReconnecting: () => this.transition("connection-lost"),
      onClosed: (outcome) => {
        if (outcome === "ended") this.finish("ended", endReasonWithoutMessage(this.expiresAt, Date.now()));
        else if (outcome === "denied") this.finish("denied");
        else if (outcome === "replaced") this.fail(new CallError("replaced", "This consultation was opened in another window."));
        else this.fail(new CallError("policy", "The service closed the connection because too many messages were sent."));
      },
      onFailed: (error) => this.fail(error),
    });
    try {
      await this.signaling.connect();
    } catch (error) {
      throw this.fail(error instanceof CallError ? error : new CallError("network", "The service could not be reached."));
    }
  }

  /** Let a waiting person in (host). */
  async admit(id: string): Promise<void> {
    this.require("admit");
    this.decide("admit", id);
  }

  /** Turn a waiting person away (host). */
  async deny(id: string): Promise<void> {
    this.require("deny");
    this.decide("deny", id);
  }

  /** End the consultation for everyone (host). Resolves once it has ended. */
  async end(): Promise<void> {
    this.require("end");
    // A guest is never in a state where ending is possible: the contract's
    // one code for a method called at the wrong time.
    if (this.self?.role !== "host") throw new CallError("invalid_state", "Only the host can end the consultation.");
    const ended = this.waitForFinalState(END_TIMEOUT_MS);
    if (this.signaling?.send({ type: "end" }) && (await ended)) return;
    // No socket, or no answer in time: end it over HTTP instead.
    await this.signaling?.endByRequest();
    this.finish("ended", "host-ended");
  }

  /**
   * Leave the consultation: the connection closes, camera and microphone
   * stop, `state` becomes `ended`. No `samtale-ended` event follows: the
   * consultation goes on for the others (a host who leaves has the grace
   * period to come back, after which it ends).
   */
  async leave(): Promise<void> {
    this.require("leave");
    this.signaling?.close(true);
    this.finish("ended");
  }

  // ---------------------------------------------------------------------------
  // Lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    this.applyLocale();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Removed from the page: nothing may keep the camera or the socket alive.
    if (!isFinal(this.callState) && this.callState !== "idle") {
      this.finish("ended");
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("lang") && this.isConnected) this.applyLocale();
  }

  /** The `lang` attribute's language, else the browser's (one locale per page). */
  private applyLocale(): void {
    void useLocale(chooseLocale(this.lang, navigator.languages ?? [navigator.language]));
  }

  protected override firstUpdated(): void {
    this.setAttribute("state", this.callState);
    // Start after the first render, when the page has set every attribute.
    // A reload of a tab that was already in (or waiting for) this consultation
    // goes straight back: the person chose their devices the first time.
    if (this.noDeviceCheck || recall("joined", this.consultation) !== null || recall("resume", this.consultation) !== null) {
      this.join().catch(() => undefined); // failure already shown and reported
    } else {
      this.transition("check");
      void this.media.start();
    }
  }

  protected override updated(): void {
    // The chosen speaker applies to every remote video that can route audio.
    const videos = this.renderRoot.querySelectorAll<HTMLVideoElement & { setSinkId?: (id: string) => Promise<void> }>("video.remote");
    for (const video of videos) {
      if (this.media.speakerId && video.setSinkId && (video as { sinkId?: string }).sinkId !== this.media.speakerId) {
        void video.setSinkId(this.media.speakerId).catch(() => undefined);
      }
    }
  }

  // ---------------------------------------------------------------------------
  // State

  private require(action: CallAction): void {
    if (!isAllowed(action, this.callState)) {
      throw new CallError("invalid_state", `${action}() cannot be called while the call is ${this.callState}.`);
    }
  }

  private transition(event: CallEvent): void {
    const next = nextState(this.callState, event);
    if (next === null || next === this.callState) return;
    this.callState = next;
    this.setAttribute("state", next);
    this.emit("samtale-state", { state: next });
  }

  private finish(event: "ended" | "denied", reason?: EndReason): void {
    if (isFinal(this.callState)) return;
    // Over for this tab: a reload starts with the device check again. A denied
    // guest keeps the resume, so a reload is refused at once as not admitted;
    // an ended consultation's resume is worthless (leave() forgets it itself).
    forget("joined", this.consultation);
    if (reason) forget("resume", this.consultation);
    this.teardown();
    this.transition(event);
    if (reason) this.emit("samtale-ended", { reason });
  }

  /** Report `error` and end in `error`; returns it, for a method to reject with. */
  private fail(error: CallError): CallError {
    if (isFinal(this.callState)) return error;
    this.errorCode = error.code;
    this.teardown();
    this.transition("failed");
    this.emit("samtale-error", { code: error.code, message: error.message });
    return error;
  }

  private teardown(): void {
    // Every end closes the socket and its ping and reconnect timers, also when
    // the host ended by HTTP because the socket did not answer.
    this.signaling?.close();
    clearInterval(this.statsTimer);
    for (const link of this.peers.values()) link.close();
    this.peers.clear();
    this.remoteMedia = new Map();
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.sharingScreen = false;
    this.media.stop();
    this.waiting = [];
  }

  private waitForFinalState(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.removeEventListener("samtale-state", onState);
        resolve(false);
      }, timeoutMs);
      const onState = () => {
        if (!isFinal(this.callState)) return;
        clearTimeout(timer);
        this.removeEventListener("samtale-state", onState);
        resolve(true);
      };
      this.addEventListener("samtale-state", onState);
    });
  }

  private credential(): Credential | null {
    if (!this.consultation) return null;
    if (this.token) return { token: this.token };
    if (this.code) return { code: this.code };
    return null;
  }

  private emit(type: string, detail: object): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /**
   * Say something to screen readers through the live region. A new node per
   * message is read as an addition: two messages in the same frame are both
   * read, and so is the same sentence twice. A few recent ones are kept.
   */
  private announce(text: string): void {
    this.announcements = [...this.announcements.slice(-4), { id: ++this.announced, text }];
  }

  // ---------------------------------------------------------------------------
  // Server messages: one small handler each

  private handleMessage(message: ServerMessage): void {
    switch (message.type) {
      case "lobby":
        this.self = message.you;
        this.hostName = message.hostName || msg("your host", { id: "lobby.host-fallback" });
        this.transition("lobby");
        return;
      case "welcome":
        this.expiresAt = Date.parse(message.expiresAt) || null;
        return this.onWelcome(message.you, message.participants, message.iceServers, message.policy);
      case "knock":
        return this.onKnock(message.participant);
      case "lobby-left":
        this.waiting = withoutParticipant(this.waiting, message.id);
        return;
      case "peer-joined":
        return this.onPeerJoined(message.participant);
      case "peer-left":
        return this.onPeerLeft(message.id);
      case "signal":
        return void this.onSignal(message.from, message.data);
      case "error":
        this.emit("samtale-error", { code: message.code, message: message.message });
        return;
      case "ended":
        return this.finish("ended", message.reason);
      default:
        return assertNever(message);
    }
  }

  private onWelcome(you: Participant, participants: Participant[], iceServers: IceServer[], policy: Policy): void {
    const firstWelcome = !this.admitted;
    this.self = you;
    this.admitted = true;
    remember("joined", this.consultation, "1");
    this.policy = policy;
    this.iceServers = iceServers;
    // A host coming back hears every waiting person again in fresh knocks; the
    // list is rebuilt from those (someone who left meanwhile is not in them),
    // but people already shown as waiting are no news.
    this.knownKnocks = new Set(this.waiting.map((p) => p.id));
    this.waiting = [];
    // No codes carried over: every connection below is new, with new certificates' codes to come.
    this.roster = participants;
    // Every welcome starts media afresh with everyone: while our socket was
    // gone the others heard `peer-left` and closed their side. Those already
    // in the call offer to us once greeted (negotiation.ts).
    for (const id of [...this.peers.keys()]) this.closePeer(id);
    for (const { id } of participants) {
      if (id !== you.id) this.signaling?.send({ type: "signal", to: id, data: { hello: true } });
    }
    this.transition("welcome");
    this.emit("samtale-participants", { participants: this.roster });
    if (firstWelcome) this.announce(msg("You are in the consultation.", { id: "announce.in-call" }));
    clearInterval(this.statsTimer);
    this.statsTimer = setInterval(() => void this.refreshQuality(), STATS_INTERVAL_MS);
  }

  private onKnock(participant: Participant): void {
    const isNew = !this.waiting.some((p) => p.id === participant.id) && !this.knownKnocks.has(participant.id);
    this.waiting = withParticipant(this.waiting, participant);
    if (!isNew) return;
    this.emit("samtale-knock", { participant });
    playKnockCue();
    this.announce(msg(str`${participant.name} is waiting to join.`, { id: "announce.knock" }));
  }

  private onPeerJoined(participant: Participant): void {
    this.roster = withParticipant(this.roster, participant);
    this.waiting = withoutParticipant(this.waiting, participant.id);
    // Joined again (a reload): the old connection belongs to a page that is
    // gone. The newcomer's hello follows; we offer then.
    this.closePeer(participant.id);
    this.emit("samtale-participants", { participants: this.roster });
    this.announce(msg(str`${participant.name} joined.`, { id: "announce.joined" }));
  }

  private onPeerLeft(id: string): void {
    const who = this.roster.find((p) => p.id === id);
    this.roster = withoutParticipant(this.roster, id);
    this.closePeer(id);
    this.emit("samtale-participants", { participants: this.roster });
    if (who) this.announce(msg(str`${who.name} left.`, { id: "announce.left" }));
  }

  private async onSignal(from: string, data: SignalData): Promise<void> {
    if (!this.roster.some((p) => p.id === from)) return;
    let link = this.peers.get(from);
    const signal = parsePeerSignal(data);
    if (signal && "hello" in signal) {
      // A newcomer greets us: we start a fresh connection and make the offer.
      this.closePeer(from);
      this.openPeer(from);
      return;
    }
    if (link && signal && "description" in signal && signal.description.type === "offer" && isNewSession(link.remoteSdp, signal.description.sdp)) {
      this.closePeer(from);
      link = undefined;
    }
    link ??= this.openPeer(from);
    await link.handleSignal(data);
  }

  // ---------------------------------------------------------------------------
  // Peers

  private openPeer(id: string): PeerLink {
    const you = this.self!.id;
    const link = new PeerLink({
      remoteId: id,
      polite: isPolite(you, id),
      iceServers: this.iceServers,
      localStream: this.media.stream,
      chat: this.policy?.chat ?? false,
      sendSignal: (data) => this.signaling?.send({ type: "signal", to: id, data }),
      onRemoteMedia: (stream) => {
        if (this.peers.get(id) !== link) return;
        this.remoteMedia = new Map(this.remoteMedia).set(id, stream);
      },
      onConnectionState: (state) => {
        if (this.peers.get(id) !== link) return;
        // The remote video shows only while its connection is up.
        this.requestUpdate();
        if (state === "connected") void this.onPeerConnected(link);
      },
      onChat: (text) => {
        this.chatLines = [...this.chatLines, { from: id, text, at: Date.now() }];
        const name = this.roster.find((p) => p.id === id)?.name ?? "";
        this.announce(msg(str`Message from ${name}: ${text}`, { id: "announce.chat" }));
      },
      onChatReady: () => this.updateChatReady(),
    });
    this.peers.set(id, link);
    if (this.screenTrack) void link.replaceVideoTrack(this.screenTrack);
    return link;
  }

  private closePeer(id: string): void {
    const link = this.peers.get(id);
    if (!link) return;
    link.close();
    this.peers.delete(id);
    const media = new Map(this.remoteMedia);
    media.delete(id);
    this.remoteMedia = media;
    this.updateChatReady();
    if (this.policy?.mode === "pair") this.pairCode = null;
    // The code belonged to that connection; the next one brings its own.
    else if (this.roster.some((p) => p.id === id && p.verificationCode)) {
      this.roster = withVerificationCode(this.roster, id, null);
      this.emit("samtale-participants", { participants: this.roster });
    }
  }

  /** Chat can be sent while any peer's channel is open. */
  private updateChatReady(): void {
    this.chatReady = [...this.peers.values()].some((peer) => peer.chatOpen);
  }

  private async onPeerConnected(link: PeerLink): Promise<void> {
    const code = await link.verificationCode();
    if (!code || this.peers.get(link.remoteId) !== link) return;
    void this.refreshQuality();
    if (this.policy?.mode === "group") {
      this.roster = withVerificationCode(this.roster, link.remoteId, code);
      this.emit("samtale-participants", { participants: this.roster });
    } else if (code !== this.pairCode) {
      this.pairCode = code;
      this.emit("samtale-verification", { code });
    }
  }

  private async refreshQuality(): Promise<void> {
    const figures = await Promise.all([...this.peers.values()].filter((l) => l.connectionState === "connected").map((l) => l.quality()));
    if (figures.length === 0) {
      this.quality = null;
      return;
    }
    // Several peers: show the weakest link, since that is what someone will hear.
    this.quality = {
      path: figures.some((f) => f.path === "relayed") ? "relayed" : figures.some((f) => f.path === "direct") ? "direct" : "unknown",
      rttMs: maxOrNull(figures.map((f) => f.rttMs)),
      lossPercent: maxOrNull(figures.map((f) => f.lossPercent)),
    };
  }

  private decide(decision: "admit" | "deny", id: string): void {
    if (this.self?.role !== "host") throw new CallError("invalid_state", "Only the host can admit or deny.");
    if (!this.waiting.some((p) => p.id === id)) throw new CallError("not_found", "Nobody with this id is waiting.");
    // Not sent (the socket just dropped): the person still waits, and the caller must know.
    if (!this.signaling?.send({ type: decision, id })) throw new CallError("network", "The service could not be reached; try again.");
    // The server answers with peer-joined (admit) or lobby-left (deny); removing now keeps the list honest meanwhile.
    this.waiting = withoutParticipant(this.waiting, id);
  }

  // ---------------------------------------------------------------------------
  // Controls

  private toggleMicrophone(): void {
    this.media.setMicrophoneOn(!this.media.microphoneOn);
  }

  private toggleCamera(): void {
    this.media.setCameraOn(!this.media.cameraOn);
  }

  private async toggleScreenShare(): Promise<void> {
    if (this.screenTrack) return this.stopScreenShare();
    // A second click while the browser's picker is open would start a second capture.
    if (this.pickingScreen) return;
    this.pickingScreen = true;
    try {
      const display = await navigator.mediaDevices.getDisplayMedia({ video: true });
      const track = display.getVideoTracks()[0];
      // The call ended while the picker was open: nothing may go on capturing.
      if (!track || isFinal(this.callState)) {
        for (const t of display.getTracks()) t.stop();
        return;
      }
      this.screenTrack = track;
      this.sharingScreen = true;
      // The browser's own "Stop sharing" button ends the track.
      track.addEventListener("ended", () => void this.stopScreenShare());
      for (const link of this.peers.values()) await link.replaceVideoTrack(track);
      this.announce(msg("You are sharing your screen.", { id: "announce.sharing" }));
    } catch {
      // Cancelled in the browser's picker: nothing to do.
    } finally {
      this.pickingScreen = false;
    }
  }

  private async stopScreenShare(): Promise<void> {
    const track = this.screenTrack;
    if (!track) return;
    this.screenTrack = null;
    this.sharingScreen = false;
    track.stop();
    for (const link of this.peers.values()) await link.replaceVideoTrack(this.media.videoTrack);
  }

  private sendChat(text: string): void {
    let sent = false;
    for (const link of this.peers.values()) sent = link.sendChat(text) || sent;
    if (sent && this.self) this.chatLines = [...this.chatLines, { from: this.self.id, text, at: Date.now() }];
  }

  // ---------------------------------------------------------------------------
  // Rendering

  override render() {
    // The element's text is in the active locale, whatever the page's own lang.
    return html`<div lang=${activeLocale()}>
      ${this.renderState()}
      <div class="visually-hidden" role="status" aria-live="polite">
        ${repeat(this.announcements, (a) => a.id, (a) => html`<p>${a.text}</p>`)}
      </div>
    </div>`;
  }

  private renderState() {
    switch (this.callState) {
      case "idle":
        return nothing;
      case "checking":
        return html`<samtale-device-check exportparts="local-video" .media=${this.media} @join=${() => void this.join().catch(() => undefined)}></samtale-device-check>`;
      case "joining":
        return joiningView();
      case "lobby":
        return this.renderLobby();
      case "reconnecting":
        // A guest still waiting to be let in keeps seeing the lobby, not an empty call.
        if (!this.admitted) return html`${this.reconnectingBanner()}${this.hostName ? this.renderLobby() : joiningView()}`;
        return this.renderCall();
      case "connected":
        return this.renderCall();
      case "ended":
        return endedView();
      case "denied":
        return deniedView();
      case "error":
        return errorView(this.errorCode);
    }
  }

  private renderLobby() {
    return lobbyView(this.hostName, this.localVideo("lobby-self"), () => void this.leave());
  }

  private reconnectingBanner() {
    return html`<div class="banner" role="status">${msg("Connection lost. Reconnecting…", { id: "call.reconnecting" })}</div>`;
  }

  private localVideo(className: string) {
    if (!this.media.videoTrack || !this.media.cameraOn) return nothing;
    return html`<video part="local-video" class=${className} .srcObject=${this.media.stream} autoplay playsinline .muted=${true} aria-label=${msg("Your camera", { id: "video.local" })}></video>`;
  }

  private renderCall() {
    const isHost = this.self?.role === "host";
    const names = new Map(this.roster.map((p) => [p.id, p.name]));
    // One video per remote whose media is up: no black boxes for a peer still connecting or gone.
    const remotes = [...this.remoteMedia].filter(([id]) => this.peers.get(id)?.connectionState === "connected");
    return html`<div class="call">
      ${this.callState === "reconnecting" ? this.reconnectingBanner() : nothing}
      <div class="stage">
        ${remotes.length === 0
          ? html`<p class="alone">${msg("Waiting for the others to join…", { id: "call.alone" })}</p>`
          : repeat(
              remotes,
              ([id]) => id,
              ([id, stream]) =>
                html`<video part="remote-video" class="remote" .srcObject=${stream} autoplay playsinline aria-label=${names.get(id) ?? ""}></video>`,
            )}
        ${this.localVideo("self")}
      </div>
      ${this.renderControls(isHost)}
      <div class="panel">
        ${isHost
          ? html`<samtale-knock-list
              .knocking=${this.waiting}
              @admit=${(e: CustomEvent<string>) => void this.admit(e.detail).catch(() => undefined)}
              @deny=${(e: CustomEvent<string>) => void this.deny(e.detail).catch(() => undefined)}
            ></samtale-knock-list>`
          : nothing}
        ${this.renderVerification()}
        <samtale-participant-list class="card" part="participants" .participants=${this.roster} .you=${this.self?.id ?? ""}></samtale-participant-list>
        ${this.policy?.chat
          ? html`<samtale-chat-panel class="card" part="chat" .lines=${this.chatLines} .names=${names} ?ready=${this.chatReady} @send=${(e: CustomEvent<string>) => this.sendChat(e.detail)}></samtale-chat-panel>`
          : nothing}
      </div>
    </div>`;
  }

  private renderVerification() {
    if (this.policy?.mode !== "pair" || !this.pairCode) return nothing;
    return html`<div class="card">
      <h3>${msg("Verification code", { id: "verification.label" })}</h3>
      <p class="code">${this.pairCode}</p>
      <p class="muted">${msg("Read the code aloud to each other. If both of you see the same code, nobody else is in the connection.", { id: "verification.help" })}</p>
    </div>`;
  }

  private renderControls(isHost: boolean) {
    const canShare = typeof navigator.mediaDevices?.getDisplayMedia === "function";
    return html`<div class="controls" part="controls" role="toolbar" aria-label=${msg("Call controls", { id: "controls.label" })}>
      <button type="button" aria-pressed=${String(!this.media.microphoneOn)} ?disabled=${!this.media.audioTrack} @click=${this.toggleMicrophone}>
        ${msg("Mute", { id: "controls.mute" })}
      </button>
      <button type="button" aria-pressed=${String(!this.media.cameraOn)} ?disabled=${!this.media.videoTrack} @click=${this.toggleCamera}>
        ${msg("Camera off", { id: "controls.camera-off" })}
      </button>
      ${canShare
        ? html`<button type="button" aria-pressed=${String(this.sharingScreen)} @click=${() => void this.toggleScreenShare()}>
            ${msg("Share screen", { id: "controls.share" })}
          </button>`
        : nothing}
      <samtale-connection-indicator .quality=${this.quality}></samtale-connection-indicator>
      ${isHost
        ? html`<button type="button" class="danger end" @click=${() => void this.end().catch(() => undefined)}>${msg("End consultation", { id: "controls.end" })}</button>`
        : html`<button type="button" class="danger end" @click=${() => void this.leave().catch(() => undefined)}>${msg("Leave", { id: "controls.leave" })}</button>`}
    </div>`;
  }
}

function maxOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}

function assertNever(value: never): void {
  console.warn("samtale: unexpected message", value);
}

defineOnce("samtale-call", SamtaleCall);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-call": SamtaleCall;
  }
}
