import { updateWhenLocaleChanges } from "@lit/localize";
import { html, LitElement, nothing, type PropertyValues } from "lit";
import { property, state } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import type { Invite, Participant, Policy } from "../../worker/protocol.ts";
import { CallError } from "../call-error.ts";
import { CallEngineLoader } from "../call-engine-loader.ts";
import { CallSession } from "../call-session.ts";
import type { CallState } from "../call-state.ts";
import { defineOnce } from "../define.ts";
import "../device-check/device-check.ts";
import { hostDisplayName } from "../display-name.ts";
import { chooseLocale } from "../locale-choice.ts";
import { activeLocale, useLocale } from "../localization.ts";
import { LocalMedia } from "../media-devices.ts";
import { withReconnecting, type CallParticipant } from "../roster.ts";
import { nextCorner, type SelfCorner } from "../stage-layout.ts";
import { KnockAlert } from "../knock-alert.ts";
import { controlStyles } from "../theme.ts";
import { samtaleEvent, type SamtaleEventDetails, type SamtaleEventName } from "./events.ts";
import { announcement } from "./announcements.ts";
import { callPanel } from "./call-panel.ts";
import { controlsBar } from "./controls.ts";
import { stageView, localVideo } from "./stage.ts";
import { deniedView, endedView, removedView, errorView, joiningView, lobbyView, reconnectingBanner } from "./status-views.ts";
import { callStyles } from "./styles.ts";

/**
 * @summary A secure video consultation: device check, lobby, the call, and its end.
 *
 * @attr consultation - The consultation id.
 * @attr token - A partner JWT (host or known invitee). Give this or `code`. Also a property, so
 *   a page can set it without putting it in the DOM. A token holder whose connection drops presents
 *   the token again: if it has expired by then, `samtale-error` `{code: "unauthorized"}` fires while
 *   the element keeps `reconnecting`, and a fresh token set here gets it back in at once.
 * @attr code - A guest's one-time invite code. Give this or `token`. Also a property.
 * @attr api-base - The Samtale service's origin; default the page's. A trailing slash is fine.
 * @attr lang - `nb`, `nn`, `sv`, `da` or `en`; default the browser's language.
 * @attr no-device-check - Skip the device check and join at once. A reload of a tab that was
 *   already in this consultation (or waiting in its lobby) skips it too.
 * @attr state - Read-only, reflected: `idle`, `checking`, `joining`, `lobby`,
 *   `connected`, `reconnecting`, `ended`, `denied`, `removed` or `error`.
 *
 * @event samtale-state - `{state}` whenever `state` changes.
 * @event samtale-knock - `{participant}` someone waits in the lobby (host only).
 * @event samtale-lobby - `{knocking}` the lobby changed: everyone waiting now (host only).
 * @event samtale-participants - `{participants}` the admitted people changed (or a group verification code arrived).
 * @event samtale-verification - `{code, changed, participant?}` a verification code came, or changed (events.ts says when).
 * @event samtale-ended - `{reason}` the server ended the consultation; never after `leave()`.
 * @event samtale-error - `{code, message}` a refusal or failure (events.ts lists the codes).
 *
 * @csspart local-video - Your own camera `<video>`, while the camera is on.
 * @csspart remote-video - One `<video>` per remote participant whose media is up.
 * @csspart participants - The participant list.
 * @csspart lobby - The guest's waiting view.
 * @csspart controls - The bar with microphone, camera, screen share and end/leave.
 * @csspart chat - The chat panel (absent when chat is off).
 *
 * @cssproperty --samtale-* - Colours (WCAG AA by default), corner radius and font: styles.ts lists each with its default.
 */
export class SamtaleCall extends LitElement {
  static override styles = [controlStyles, callStyles];

  @property() consultation = "";
  @property() token: string | null = null;
  @property() code: string | null = null;
  @property({ attribute: "api-base" }) apiBase: string | null = null;
  @property() override lang = "";
  @property({ type: Boolean, attribute: "no-device-check" }) noDeviceCheck = false;

  /** Recent screen reader announcements, each its own node in the live region. */
  @state() private announcements: { id: number; text: string }[] = [];
  #announced = 0;
  /** Where your own picture floats when it floats; you move it out of the way. */
  @state() private selfCorner: SelfCorner = "bottom-right";
  /** The lobby as last told to the page (`samtale-lobby`). */
  #shownLobby: Participant[] = [];
  /** The admitted people as last told to the page: the one list `participants` and its event share. */
  #shownParticipants: CallParticipant[] = [];
  /** Settles once the chosen language's text is in (never rejects). */
  #localeLoaded: Promise<void> = Promise.resolve();

  readonly #media = new LocalMedia(this);
  /** WebRTC and the line to the service, loaded on their own (call-engine-loader.ts). */
  readonly #engine: CallEngineLoader = new CallEngineLoader(this, {
    send: (to, data) => void this.#session.send({ type: "signal", to, data }),
    localStream: () => this.#media.stream,
    localMediaState: () => ({ microphone: this.#media.microphoneLive, camera: this.#media.cameraLive }),
    events: {
      pairCode: (code, changed) => {
        this.#emit("samtale-verification", { code, changed });
        if (changed) this.#announce(announcement.codeChanged());
      },
      verificationFailed: (_peer, message) => this.#emit("samtale-error", { code: "verification_failed", message }),
      codesChanged: () => this.#participantsChanged(),
      peerCodeChanged: (peer, code) => {
        this.#emit("samtale-verification", { code, changed: true, participant: peer.id });
        this.#announce(announcement.peerCodeChanged(peer.participant));
      },
      chat: (peer, text) => this.#announce(announcement.chat(peer.participant, text)),
      sharingStarted: () => this.#announce(announcement.sharing()),
      mediaInterrupted: (interrupted) => this.#announce(announcement.mediaInterrupted(interrupted)),
    },
  });
  readonly #session: CallSession = new CallSession(this, {
    config: () => ({ apiBase: this.apiBase, consultation: this.consultation, token: this.token, code: this.code }),
    connect: (options) => this.#engine.connect(options),
    peers: this.#engine,
    events: {
      stateChanged: (state) => {
        this.setAttribute("state", state);
        this.#emit("samtale-state", { state });
      },
      participantsChanged: () => this.#participantsChanged(),
      knocked: (participant) => {
        this.#emit("samtale-knock", { participant });
        this.#knockAlert.knocked();
        this.#announce(announcement.knock(participant));
      },
      welcomed: (firstTime) => firstTime && this.#announce(announcement.inCall()),
      peerJoined: (participant) => this.#announce(announcement.joined(participant)),
      peerLeft: (participant) => this.#announce(announcement.left(participant)),
      ended: (reason) => this.#emit("samtale-ended", { reason }),
      reported: (error) => this.#emit("samtale-error", { code: error.code, message: error.message }),
      released: () => {
        this.#media.stop();
        this.#knockAlert.stop();
      },
    },
  });
  /** A host whose tab is hidden hears a knock again, every 15 s, until they act or come back. */
  readonly #knockAlert = new KnockAlert(this, () => this.#session.waiting.length > 0);

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  // Public, read-only state

  /** Where the call is; reflected as the `state` attribute. */
  get state(): CallState {
    return this.#session.state;
  }

  /** Your own participant, once the server said who you are. */
  get you(): Participant | null {
    return this.#session.you;
  }

  /** Every admitted participant, yourself included; in a group each remote one carries `verificationCode`. */
  get participants(): CallParticipant[] {
    return this.#shownParticipants;
  }

  /** People waiting in the lobby (host only). */
  get knocking(): Participant[] {
    return this.#session.waiting;
  }

  /** The welcome's policy (`mode`, `maxParticipants`, `chat`, `relayOnly`); `null` before it. */
  get policy(): Policy | null {
    return this.#session.policy;
  }

  /** In a pair, `"123 456"` once the media connection is up; `null` before and in group mode. */
  get verificationCode(): string | null {
    return this.#engine.mesh?.pairCode ?? null;
  }

  // Public methods

  /** Leave the device check and join. Resolves once the connection to the service is open. */
  async join(): Promise<void> {
    await this.#session.join(async () => {
      // Without it there is no call at all; a missing camera is only a device check note.
      if (typeof RTCPeerConnection !== "function") throw new CallError("unsupported", "This browser cannot make video calls.");
      await Promise.all([this.#media.start(), this.#engine.prepare(this.consultation)]);
    });
  }

  /** Let a waiting person in (host). */
  async admit(id: string): Promise<void> {
    this.#session.decide("admit", id);
  }

  /** Turn a waiting person away (host). */
  async deny(id: string): Promise<void> {
    this.#session.decide("deny", id);
  }

  /**
   * Take someone out of the consultation for good, admitted or waiting (host).
   * Without an id it is the DOM's own `remove()`: the element leaves the page.
   */
  override async remove(id?: string): Promise<void> {
    if (id === undefined) return super.remove();
    this.#session.remove(id);
  }

  /** One more person for a group (host): resolves to the API's invite, its `url` and, for a guest, its `code`. */
  async invite(options: { name?: string } = {}): Promise<Invite> {
    return this.#session.invite(options.name?.trim() || undefined);
  }

  /** End the consultation for everyone (host). Resolves once it has ended. */
  async end(): Promise<void> {
    await this.#session.end();
  }

  /**
   * Leave: the connection closes, camera and microphone stop, `state` becomes `ended`, and no
   * `samtale-ended` follows: the consultation goes on for the others (a leaving host has the grace period).
   */
  async leave(): Promise<void> {
    this.#session.leave();
  }

  // Lifecycle

  override connectedCallback(): void {
    super.connectedCallback();
    this.#applyLocale();
    // In the background, so it is there by the time someone presses Join (which tries again and reports a failure).
    void this.#engine.load().catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("lang") && this.isConnected) this.#applyLocale();
    // A renewed token (the old one expired during the call) is used from the next way back in.
    if (changed.has("token") && changed.get("token") !== undefined && this.token) this.#session.tokenChanged();
  }

  /** The `lang` attribute's language, else the browser's (one locale per page). */
  #applyLocale(): void {
    this.#localeLoaded = useLocale(chooseLocale(this.lang, navigator.languages ?? [navigator.language]));
  }

  /**
   * Lit's hook for timing updates: none renders while a language is on its way
   * (a few ms, one small module), so a Norwegian page never flashes English
   * first. The call itself starts after the first render, so it waits too.
   */
  protected override async scheduleUpdate(): Promise<void> {
    await this.#localeLoaded;
    super.scheduleUpdate();
  }

  protected override firstUpdated(): void {
    this.setAttribute("state", this.state);
    // Start after the first render, when the page has set every attribute.
    // A reload of a tab that was already in (or waiting for) this consultation
    // goes straight back: the person chose their devices the first time.
    if (this.noDeviceCheck || this.#session.resumesAfterReload) {
      this.join().catch(() => undefined); // failure already shown and reported
    } else {
      this.#session.check();
      void this.#media.start();
    }
  }

  protected override updated(): void {
    // The lists are immutable: a new array is a change of the lobby.
    const lobby = this.#session.waiting;
    if (lobby !== this.#shownLobby && (lobby.length > 0 || this.#shownLobby.length > 0)) {
      this.#shownLobby = lobby;
      this.#emit("samtale-lobby", { knocking: this.#shownLobby });
    }
    // The chosen speaker applies to every remote video.
    this.#media.routeSound(this.renderRoot.querySelectorAll("video.remote"));
  }

  // Telling the page and screen readers

  /** The one place `samtale-participants` is fired: the roster changed, or a group code came or went. */
  #participantsChanged(): void {
    const roster = this.#engine.mesh?.withCodes(this.#session.roster) ?? this.#session.roster;
    this.#shownParticipants = withReconnecting(roster, this.#session.away);
    this.#emit("samtale-participants", { participants: this.#shownParticipants });
  }

  #emit<K extends SamtaleEventName>(type: K, detail: SamtaleEventDetails[K]): void {
    this.dispatchEvent(samtaleEvent(type, detail));
  }

  /**
   * Say something to screen readers through the live region. A new node per
   * message is read as an addition: two messages in the same frame are both
   * read, and so is the same sentence twice. A few recent ones are kept.
   */
  #announce(text: string): void {
    this.announcements = [...this.announcements.slice(-4), { id: ++this.#announced, text }];
  }

  // Rendering

  override render() {
    // The element's text is in the active locale, whatever the page's own lang.
    return html`<div lang=${activeLocale()}>
      ${this.#renderState()}
      <div class="visually-hidden" role="status" aria-live="polite">
        ${repeat(this.announcements, (a) => a.id, (a) => html`<p>${a.text}</p>`)}
      </div>
    </div>`;
  }

  #renderState() {
    switch (this.#session.state) {
      case "idle":
        return nothing;
      case "checking":
        return html`<samtale-device-check exportparts="local-video" .media=${this.#media} @join=${() => void this.join().catch(() => undefined)}></samtale-device-check>`;
      case "joining":
        return joiningView();
      case "lobby":
        return this.#renderLobby();
      case "reconnecting":
        // A guest still waiting to be let in keeps seeing the lobby, not an empty call.
        if (!this.#session.admitted) return html`${reconnectingBanner()}${this.#session.you ? this.#renderLobby() : joiningView()}`;
        return this.#renderCall();
      case "connected":
        return this.#renderCall();
      case "ended":
        return endedView();
      case "denied":
        return deniedView();
      case "removed":
        return removedView();
      case "error":
        return errorView(this.#session.errorCode);
    }
  }

  #renderLobby() {
    return lobbyView(hostDisplayName(this.#session.hostName), localVideo(this.#media, "lobby-self"), () => void this.leave());
  }

  #renderCall() {
    const { mesh } = this.#engine;
    if (!mesh) return nothing; // not reached: the call starts after the mesh is made
    const { isHost, policy } = this.#session;
    const ignoreFailure = () => undefined; // already shown and reported
    return html`<div class="call">
      ${this.#session.state === "reconnecting" ? reconnectingBanner() : nothing}
      ${stageView(mesh.remotes, {
        media: this.#media,
        away: this.#session.away,
        othersAdmitted: this.#session.roster.length > 1,
        selfCorner: this.selfCorner,
        onMoveSelf: () => (this.selfCorner = nextCorner(this.selfCorner)),
      })}
      ${controlsBar(this.#media, mesh, {
        isHost,
        canInvite: isHost && policy?.mode === "group",
        invite: (name) => this.invite({ name }),
        end: () => void this.end().catch(ignoreFailure),
        leave: () => void this.leave().catch(ignoreFailure),
      })}
      ${callPanel(this.#session, mesh, {
        participants: this.#shownParticipants,
        admit: (id) => void this.admit(id).catch(ignoreFailure),
        deny: (id) => void this.deny(id).catch(ignoreFailure),
        remove: (id) => void this.remove(id).catch(ignoreFailure),
      })}
    </div>`;
  }
}

defineOnce("samtale-call", SamtaleCall);

declare global {
  interface HTMLElementTagNameMap {
    "samtale-call": SamtaleCall;
  }
}
