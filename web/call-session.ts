/**
 * The call as the service sees it, as a Lit reactive controller: the line to
 * the service (signaling-client.ts), where the call is (call-state.ts), the
 * reducer of server messages, who is admitted and who waits, the policy, and
 * what this tab remembers across a reload (tab-memory.ts; besides the tab's
 * own id, which the certificate store keeps there, nothing else reads or
 * writes it). WebRTC is the peer mesh's business: the session only tells
 * it who is in the call and hands it their signals, through `PeerDirectory`.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { ClientMessage, EndReason, IceServer, Invite, Participant, Policy, ServerMessage, SignalData } from "../worker/protocol.ts";
import { CallError, type CallErrorCode } from "./call-error.ts";
import { isAllowed, isFinal, nextState, type CallAction, type CallEvent, type CallState } from "./call-state.ts";
import { withParticipant, withoutParticipant } from "./roster.ts";
import { endReasonWithoutMessage } from "./server-messages.ts";
import type { Credential, ResumeMemory, SignalingClient, SignalingOptions } from "./signaling-client.ts";
import { forget, recall, remember } from "./tab-memory.ts";

/** How long the host waits for the server's `ended` before ending by `DELETE`. */
const END_TIMEOUT_MS = 5000;

/** Who joins which consultation where; read when `join()` starts, once the page has set every attribute. */
export interface SessionConfig {
  apiBase: string | null;
  consultation: string;
  token: string | null;
  code: string | null;
}

/** What the session needs of the peer mesh: who is in the call, and their signals. */
export interface PeerDirectory {
  /** A welcome: these people are in the call (yourself among them); connections that still work are kept. */
  restart(you: Participant, participants: Participant[], iceServers: IceServer[], policy: Policy): void;
  /** Someone was admitted, or came back on a new page. */
  add(participant: Participant): void;
  remove(id: string): void;
  receive(from: string, data: SignalData): void;
  close(): void;
}

/** What the element tells the page and screen readers about. */
export interface SessionEvents {
  stateChanged(state: CallState): void;
  participantsChanged(): void;
  /** Someone new waits in the lobby (host only); a knock repeated after a welcome is no news. */
  knocked(participant: Participant): void;
  welcomed(firstTime: boolean): void;
  peerJoined(participant: Participant): void;
  peerLeft(participant: Participant): void;
  ended(reason: EndReason): void;
  /** A refusal or failure, whether it ended the call or not. */
  reported(error: CallError): void;
  /** The call is over for this tab: release camera and microphone. */
  released(): void;
}

/** The part of `SignalingClient` the session uses; tests give a fake. */
export type Signaling = Pick<SignalingClient, "connect" | "send" | "close" | "endByRequest" | "inviteByRequest" | "retryNow">;

export interface CallSessionOptions {
  config(): SessionConfig;
  peers: PeerDirectory;
  events: SessionEvents;
  /** Opens the line to the service (a SignalingClient; tests give a fake). */
  connect(options: SignalingOptions): Signaling;
}

export class CallSession implements ReactiveController {
  state: CallState = "idle";
  you: Participant | null = null;
  /** Everyone admitted and connected, yourself included, in the server's order. */
  roster: Participant[] = [];
  /** The host's lobby. */
  waiting: Participant[] = [];
  /** Admitted people whose line to the service dropped: still in the call, shown as reconnecting. */
  away: ReadonlySet<string> = new Set();
  /** Who will let a waiting guest in; the lobby names nobody else. */
  hostName = "";
  policy: Policy | null = null;
  /** Let into the call at least once (a guest in the lobby is not, yet). */
  admitted = false;
  /** Why the call ended in `error`. */
  errorCode: CallErrorCode = "internal";

  /** When the consultation expires (epoch ms), once a welcome said so. */
  #expiresAt: number | null = null;
  /** Who was waiting before the last welcome: their knocks, sent again after it, bring no cue. */
  #knownKnocks = new Set<string>();
  #signaling: Signaling | null = null;
  readonly #finalWaiters = new Set<() => void>();

  readonly #host: ReactiveControllerHost;
  readonly #options: CallSessionOptions;

  constructor(host: ReactiveControllerHost, options: CallSessionOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostDisconnected(): void {
    // Removed from the page: nothing may keep the camera or the socket alive.
    if (!isFinal(this.state) && this.state !== "idle") this.#finish("ended");
  }

  /** A reload of a tab that was already in (or waiting for) this consultation goes straight back. */
  get resumesAfterReload(): boolean {
    const { consultation } = this.#options.config();
    return recall("joined", consultation) !== null || recall("resume", consultation) !== null || recall("denied", consultation) !== null;
  }

  get isHost(): boolean {
    return this.you?.role === "host";
  }

  // ---------------------------------------------------------------------------
  // What the element's methods do

  /** The device check is on screen. */
  check(): void {
    this.#transition("check");
  }

  /**
   * Join: `prepare` readies the devices first (it may throw a `CallError`);
   * resolves once the connection to the service is open.
   */
  async join(prepare: () => Promise<void>): Promise<void> {
    this.#require("join");
    this.#transition("join");
    // Turned away earlier in this tab: the refusal stands; there is no resume left to try.
    if (recall("denied", this.#consultation) !== null) return this.#finish("denied");
    const credential = this.#credential();
    if (!credential) throw this.fail(new CallError("invalid_request", "Give the element a consultation and a token or a code."));
    try {
      await prepare();
    } catch (error) {
      throw this.fail(error instanceof CallError ? error : new CallError("internal", "The call could not be prepared."));
    }
    // Removed or left while the camera started: no socket, no knock.
    if (this.state !== "joining") return;
    const signaling = this.#options.connect({
      apiBase: this.#options.config().apiBase,
      consultation: this.#consultation,
      // The page may renew the token during the call; what it held at join stands in if it clears it.
      credential: () => this.#credential() ?? credential,
      resume: this.#resumeMemory(),
      onMessage: (message) => this.receive(message),
      onReconnecting: () => this.#transition("connection-lost"),
      onClosed: (outcome) => {
        if (outcome === "ended") this.#finish("ended", endReasonWithoutMessage(this.#expiresAt, Date.now()));
        else if (outcome === "denied" || outcome === "removed") this.#finish(outcome);
        else if (outcome === "replaced") this.fail(new CallError("replaced", "This consultation was opened in another window."));
        else this.fail(new CallError("policy", "The service closed the connection because too many messages were sent."));
      },
      onFailed: (error) => this.fail(error),
      onTokenRefused: (error) => this.#options.events.reported(error),
    });
    this.#signaling = signaling;
    try {
      await signaling.connect();
    } catch (error) {
      throw this.fail(error instanceof CallError ? error : new CallError("network", "The service could not be reached."));
    }
  }

  /** Let a waiting person in, or turn them away (host). */
  decide(decision: "admit" | "deny", id: string): void {
    this.#require(decision);
    if (!this.isHost) throw new CallError("invalid_state", "Only the host can admit or deny.");
    if (!this.waiting.some((p) => p.id === id)) throw new CallError("not_found", "Nobody with this id is waiting.");
    // Not sent (the socket just dropped): the person still waits, and the caller must know.
    if (!this.send({ type: decision, id })) throw new CallError("network", "The service could not be reached; try again.");
    // The server answers with peer-joined (admit) or lobby-left (deny); removing now keeps the list honest meanwhile.
    this.waiting = withoutParticipant(this.waiting, id);
    this.#host.requestUpdate();
  }

  /** Take someone out of the consultation for good, admitted or waiting (host). */
  remove(id: string): void {
    this.#require("remove");
    if (!this.isHost) throw new CallError("invalid_state", "Only the host can remove someone.");
    if (id === this.you?.id) throw new CallError("invalid_request", "The host cannot remove themself; end the consultation instead.");
    if (!this.waiting.some((p) => p.id === id) && !this.roster.some((p) => p.id === id)) {
      throw new CallError("not_found", "Nobody with this id is in the consultation.");
    }
    if (!this.send({ type: "remove", id })) throw new CallError("network", "The service could not be reached; try again.");
    // The server confirms with lobby-left or peer-left; a waiting person leaves the list now, like after deny.
    this.waiting = withoutParticipant(this.waiting, id);
    this.#host.requestUpdate();
  }

  /** One more person for a group (host): the API's invite, with its link and, for a guest, its code. */
  async invite(name?: string): Promise<Invite> {
    this.#require("invite");
    if (!this.isHost) throw new CallError("invalid_state", "Only the host can invite.");
    if (this.policy?.mode !== "group") throw new CallError("invalid_state", "Only a group consultation takes more people.");
    if (!this.#signaling) throw new CallError("network", "The service could not be reached; try again.");
    return this.#signaling.inviteByRequest(name);
  }

  /** End the consultation for everyone (host). Resolves once it has ended. */
  async end(): Promise<void> {
    this.#require("end");
    // A guest is never in a state where ending is possible: the contract's
    // one code for a method called at the wrong time.
    if (!this.isHost) throw new CallError("invalid_state", "Only the host can end the consultation.");
    const ended = this.#waitForFinalState(END_TIMEOUT_MS);
    if (this.send({ type: "end" }) && (await ended)) return;
    // No socket, or no answer in time: end it over HTTP instead.
    await this.#signaling?.endByRequest();
    this.#finish("ended", "host-ended");
  }

  /** The page gave a fresh token: if we are trying to get back in, try with it now. */
  tokenChanged(): void {
    this.#signaling?.retryNow();
  }

  /** Leave on purpose: a guest's resume is forgotten (as on every end), so a reload cannot slip back in. */
  leave(): void {
    this.#require("leave");
    this.#finish("ended");
  }

  send(message: ClientMessage): boolean {
    return this.#signaling?.send(message) ?? false;
  }

  /** Report `error` and end in `error`; returns it, for a method to reject with. */
  fail(error: CallError): CallError {
    if (isFinal(this.state)) return error;
    this.errorCode = error.code;
    this.#release();
    this.#transition("failed");
    this.#options.events.reported(error);
    return error;
  }

  // ---------------------------------------------------------------------------
  // The reducer of server messages: one small step each

  receive(message: ServerMessage): void {
    switch (message.type) {
      case "lobby":
        this.you = message.you;
        this.hostName = message.hostName;
        return this.#transition("lobby");
      case "welcome":
        this.#expiresAt = Date.parse(message.expiresAt) || null;
        return this.#welcome(message.you, message.participants, message.iceServers, message.policy);
      case "knock":
        return this.#knock(message.participant);
      case "lobby-left":
        this.waiting = withoutParticipant(this.waiting, message.id);
        return this.#host.requestUpdate();
      case "peer-joined":
        return this.#peerJoined(message.participant);
      case "peer-left":
        return this.#peerLeft(message.id);
      case "peer-away":
        // Their connection to us stays: media may well still flow.
        return this.#setAway(message.id, true);
      case "peer-back":
        // Nothing to renegotiate: if their link failed meanwhile, their welcome greets us again.
        return this.#setAway(message.id, false);
      case "signal":
        // Only admitted people signal; the server guarantees it, and a stale frame must not open a connection.
        if (this.roster.some((p) => p.id === message.from)) this.#options.peers.receive(message.from, message.data);
        return;
      case "error":
        return this.#options.events.reported(new CallError(message.code, message.message));
      case "ended":
        return this.#finish("ended", message.reason);
      case "removed":
        return this.#finish("removed");
      default:
        return warnOfUnknownMessage(message);
    }
  }

  #welcome(you: Participant, participants: Participant[], iceServers: IceServer[], policy: Policy): void {
    const firstTime = !this.admitted;
    this.you = you;
    this.admitted = true;
    remember("joined", this.#consultation, "1");
    // `relayOnly` (v1.1) reads as false from a server that leaves it out.
    this.policy = { ...policy, relayOnly: policy.relayOnly === true };
    // A host coming back hears every waiting person again in fresh knocks; the
    // list is rebuilt from those (someone who left meanwhile is not in them),
    // but people already shown as waiting are no news.
    this.#knownKnocks = new Set(this.waiting.map((p) => p.id));
    this.waiting = [];
    this.roster = participants;
    // The welcome lists who is there now; anyone away is in it as before.
    this.away = new Set([...this.away].filter((id) => participants.some((p) => p.id === id)));
    // While our socket was gone the others heard `peer-away` and kept their
    // side: the mesh keeps every connection that still works.
    this.#options.peers.restart(you, participants, iceServers, this.policy);
    this.#transition("welcome");
    this.#options.events.participantsChanged();
    this.#options.events.welcomed(firstTime);
  }

  #knock(participant: Participant): void {
    const isNew = !this.waiting.some((p) => p.id === participant.id) && !this.#knownKnocks.has(participant.id);
    this.waiting = withParticipant(this.waiting, participant);
    this.#host.requestUpdate();
    if (isNew) this.#options.events.knocked(participant);
  }

  #setAway(id: string, away: boolean): void {
    if (!this.roster.some((p) => p.id === id) || this.away.has(id) === away) return;
    const next = new Set(this.away);
    if (away) next.add(id);
    else next.delete(id);
    this.away = next;
    this.#options.events.participantsChanged();
  }

  #peerJoined(participant: Participant): void {
    this.#setAway(participant.id, false);
    this.roster = withParticipant(this.roster, participant);
    this.waiting = withoutParticipant(this.waiting, participant.id);
    // Joined again (a reload): the old connection belongs to a page that is gone.
    this.#options.peers.add(participant);
    this.#options.events.participantsChanged();
    this.#options.events.peerJoined(participant);
  }

  #peerLeft(id: string): void {
    this.#setAway(id, false);
    const who = this.roster.find((p) => p.id === id);
    this.roster = withoutParticipant(this.roster, id);
    this.#options.peers.remove(id);
    this.#options.events.participantsChanged();
    if (who) this.#options.events.peerLeft(who);
  }

  // ---------------------------------------------------------------------------
  // The state machine

  #require(action: CallAction): void {
    if (!isAllowed(action, this.state)) {
      throw new CallError("invalid_state", `${action}() cannot be called while the call is ${this.state}.`);
    }
  }

  #transition(event: CallEvent): void {
    const next = nextState(this.state, event);
    if (next === null || next === this.state) return;
    this.state = next;
    this.#host.requestUpdate();
    this.#options.events.stateChanged(next);
    if (isFinal(next)) for (const resolve of this.#finalWaiters) resolve();
  }

  #finish(event: "ended" | "denied" | "removed", reason?: EndReason): void {
    if (isFinal(this.state)) return;
    // Over for this tab: a reload starts with the device check again.
    forget("joined", this.#consultation);
    if (event === "denied") remember("denied", this.#consultation, "1");
    this.#release();
    this.#transition(event);
    if (reason) this.#options.events.ended(reason);
  }

  /**
   * Every end closes the socket and its timers, also when the host ended by
   * HTTP. A guest's resume dies with every final state (ended, left, denied,
   * removed, replaced, an error): it is a bearer secret, and nothing may
   * bring this tab back into a call that is over for it.
   */
  #release(): void {
    forget("resume", this.#consultation);
    this.#signaling?.close();
    this.#options.peers.close();
    this.waiting = [];
    this.#options.events.released();
  }

  #waitForFinalState(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ended: boolean) => {
        clearTimeout(timer);
        this.#finalWaiters.delete(onFinal);
        resolve(ended);
      };
      const onFinal = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.#finalWaiters.add(onFinal);
    });
  }

  // ---------------------------------------------------------------------------
  // Who we are, and what the tab remembers

  get #consultation(): string {
    return this.#options.config().consultation;
  }

  #credential(): Credential | null {
    const { consultation, token, code } = this.#options.config();
    if (!consultation) return null;
    if (token) return { token };
    if (code) return { code };
    return null;
  }

  #resumeMemory(): ResumeMemory {
    const consultation = this.#consultation;
    return {
      recall: () => recall("resume", consultation),
      remember: (resume) => remember("resume", consultation, resume),
      forget: () => forget("resume", consultation),
    };
  }
}

/** The `switch` above covers every message the parser lets in; a newer server's extra type is only worth a warning. */
function warnOfUnknownMessage(message: never): void {
  console.warn("samtale: unexpected message", message);
}
