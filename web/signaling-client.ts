/**
 * The way into a consultation and the line to it: `POST …/join` for a
 * single-use ticket, then the WebSocket. When the socket drops for reasons
 * other than the contract's close codes, it fetches a fresh ticket and
 * reconnects (reconnect-policy.ts): token holders present their token
 * again (the one the page holds then: a host whose token expired is refused
 * until the page gives a fresh one, and meanwhile keeps trying), guests their
 * `resume`. Where the resume is kept is the call
 * session's business (tab memory); this client only reads and updates it.
 * A socket that goes silent (heartbeat.ts) counts as dropped, and the
 * browser's `online` event ends the wait before the next attempt at once.
 */
import type { ClientMessage, ErrorBody, Invite, InviteResponse, JoinResponse, ServerMessage } from "../worker/protocol.ts";
import { apiUrl, webSocketUrl } from "./api-url.ts";
import { CallError } from "./call-error.ts";
import { Heartbeat } from "./heartbeat.ts";
import { delayBeforeAttempt, isWorthRetrying } from "./reconnect-policy.ts";
import { closeOutcome, parseServerMessage, type CloseOutcome } from "./server-messages.ts";

export type Credential = { token: string } | { code: string };

/** A guest's `resume`, kept somewhere that outlives the page. */
export interface ResumeMemory {
  recall(): string | null;
  remember(resume: string): void;
  forget(): void;
}

export interface SignalingOptions {
  apiBase: string | null;
  consultation: string;
  /** The credential as the page holds it now, read at every join: a token may be renewed meanwhile. */
  credential(): Credential;
  resume: ResumeMemory;
  onMessage(message: ServerMessage): void;
  /** The socket dropped and we are trying to get back in. */
  onReconnecting(): void;
  /** For good: `ended`/`denied`/`replaced`/`policy` by close code, or an error that ends the attempt. */
  onClosed(outcome: Exclude<CloseOutcome, "reconnect">): void;
  onFailed(error: CallError): void;
  /** On the way back in, the token was refused (expired, say): trying goes on, with whatever token the page gives next. */
  onTokenRefused(error: CallError): void;
}

export class SignalingClient {
  #socket: WebSocket | null = null;
  readonly #heartbeat = new Heartbeat({
    ping: () => this.#socket?.send("ping"),
    silent: () => this.#dropSilentSocket(),
  });
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #closedForGood = false;
  /** Whether the last join presented a guest's resume rather than a code or token. */
  #presentedResume = false;

  readonly #options: SignalingOptions;

  constructor(options: SignalingOptions) {
    this.#options = options;
    globalThis.addEventListener?.("online", this.#onOnline);
  }

  get isOpen(): boolean {
    return this.#socket?.readyState === WebSocket.OPEN;
  }

  /** Join and open the socket; rejects with a `CallError` when the server refuses. */
  async connect(): Promise<void> {
    let ticket: string;
    try {
      ticket = await this.#fetchTicket();
    } catch (error) {
      // A guest reloading after the host said no: their resume is refused.
      if (error instanceof CallError && error.code === "forbidden" && this.#presentedResume) {
        this.#closedForGood = true;
        this.#options.onClosed("denied");
        return;
      }
      throw error;
    }
    // Closed (left, removed) while the ticket was on its way.
    if (this.#closedForGood) return;
    await this.#openSocket(ticket);
  }

  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    this.#socket!.send(JSON.stringify(message));
    return true;
  }

  /** Close for good: no reconnection, and no resume remembered from an answer still on its way. */
  close(): void {
    this.#closedForGood = true;
    this.#heartbeat.stop();
    clearTimeout(this.#retryTimer);
    globalThis.removeEventListener?.("online", this.#onOnline);
    this.#socket?.close(1000, "left");
    this.#socket = null;
  }

  /** `DELETE` the consultation with the host's token, for when the socket is not there. */
  async endByRequest(): Promise<void> {
    const credential = this.#options.credential();
    if (!("token" in credential)) throw new CallError("forbidden", "Only the host can end the consultation.");
    const response = await request(this.#url(`/api/v1/consultations/${encodeURIComponent(this.#options.consultation)}`), {
      method: "DELETE",
      headers: { authorization: `Bearer ${credential.token}` },
    });
    if (!response.ok && response.status !== 404 && response.status !== 410) throw await errorFrom(response);
  }

  /** `POST …/invites` with the host's token: one more person for a group. */
  async inviteByRequest(name?: string): Promise<Invite> {
    const credential = this.#options.credential();
    if (!("token" in credential)) throw new CallError("forbidden", "Only the host can invite.");
    const response = await request(this.#url(`/api/v1/consultations/${encodeURIComponent(this.#options.consultation)}/invites`), {
      method: "POST",
      headers: { authorization: `Bearer ${credential.token}`, "content-type": "application/json" },
      body: JSON.stringify(name ? { name } : {}),
    });
    if (!response.ok) throw await errorFrom(response);
    return ((await response.json()) as InviteResponse).invite;
  }

  #url(path: string): string {
    return apiUrl(this.#options.apiBase, path, location.origin);
  }

  async #fetchTicket(): Promise<string> {
    const { consultation } = this.#options;
    const credential = this.#options.credential();
    const headers: Record<string, string> = { "content-type": "application/json" };
    let body: Record<string, string> = {};
    const resume = this.#options.resume.recall();
    if ("token" in credential) headers.authorization = `Bearer ${credential.token}`;
    else body = resume ? { resume } : { code: credential.code };

    const joinUrl = this.#url(`/api/v1/consultations/${encodeURIComponent(consultation)}/join`);
    let response = await request(joinUrl, { method: "POST", headers, body: JSON.stringify(body) });
    this.#presentedResume = "resume" in body;
    if (response.status === 401 && "resume" in body && "code" in credential) {
      // A stale resume from an earlier visit: the code may still be fresh.
      this.#options.resume.forget();
      this.#presentedResume = false;
      response = await request(joinUrl, { method: "POST", headers, body: JSON.stringify({ code: credential.code }) });
    }
    if (!response.ok) throw await errorFrom(response);
    const answer = (await response.json()) as JoinResponse;
    // A guest who left while this answer was on its way must not slip back in on a reload.
    if (answer.resume && !this.#closedForGood) this.#options.resume.remember(answer.resume);
    return answer.ticket;
  }

  #openSocket(ticket: string): Promise<void> {
    const path = `/api/v1/consultations/${encodeURIComponent(this.#options.consultation)}/ws?ticket=${encodeURIComponent(ticket)}`;
    const socket = new WebSocket(webSocketUrl(this.#url(path)));
    this.#socket = socket;
    return new Promise((resolve, reject) => {
      let opened = false;
      socket.addEventListener("open", () => {
        opened = true;
        this.#attempt = 0;
        this.#heartbeat.start();
        resolve();
      });
      socket.addEventListener("message", (event) => {
        if (socket !== this.#socket || typeof event.data !== "string") return;
        this.#heartbeat.heard();
        const message = parseServerMessage(event.data);
        if (message) this.#options.onMessage(message);
      });
      socket.addEventListener("close", (event) => {
        // Before it opened, whoever waits must hear, also when close() gave it up.
        if (!opened) reject(new CallError("network", "The connection to the service could not be opened."));
        if (socket !== this.#socket) return;
        this.#heartbeat.stop();
        this.#socket = null;
        if (opened) this.#onSocketClosed(event.code);
      });
    });
  }

  #onSocketClosed(code: number): void {
    if (this.#closedForGood) return;
    const outcome = closeOutcome(code);
    if (outcome !== "reconnect") {
      // A denied guest keeps the resume: on a reload it is refused, and the
      // page says "not admitted" again instead of "this code was used".
      this.#closedForGood = true;
      this.#options.onClosed(outcome);
      return;
    }
    this.#options.onReconnecting();
    this.#scheduleReconnect();
  }

  /**
   * No answer to our pings: the socket is as good as closed, though the
   * browser may take minutes to say so. Give it up (its late close event is
   * ignored) and get back in as after any drop.
   */
  #dropSilentSocket(): void {
    const socket = this.#socket;
    if (!socket || this.#closedForGood) return;
    this.#socket = null;
    socket.close(4000, "no pong");
    this.#options.onReconnecting();
    this.#scheduleReconnect();
  }

  /**
   * Something changed that may let us back in (the browser is online again,
   * the page gave a fresh token): try now rather than at the end of the wait.
   */
  retryNow(): void {
    if (this.#closedForGood || this.#socket || this.#retryTimer === undefined) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    void this.#reconnect();
  }

  readonly #onOnline = (): void => this.retryNow();

  /** Waits for the next attempt; past the last one, fails with why the last attempt failed. */
  #scheduleReconnect(lastError?: CallError): void {
    const delay = delayBeforeAttempt(this.#attempt++);
    if (delay === null) {
      this.#closedForGood = true;
      this.#options.onFailed(lastError ?? new CallError("network", "The connection was lost and could not be restored."));
      return;
    }
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#reconnect();
    }, delay);
  }

  async #reconnect(): Promise<void> {
    if (this.#closedForGood) return;
    try {
      const ticket = await this.#fetchTicket();
      if (this.#closedForGood) return;
      await this.#openSocket(ticket);
    } catch (error) {
      if (this.#closedForGood) return;
      if (error instanceof CallError && error.code === "unauthorized" && "token" in this.#options.credential()) {
        // A token that expired during the call: say so, and keep trying
        // until the page gives a fresh one (or the attempts run out).
        this.#options.onTokenRefused(error);
        return this.#scheduleReconnect(error);
      }
      if (error instanceof CallError && !isWorthRetrying(error.code)) {
        this.#closedForGood = true;
        // An ended consultation answers 404/410; a denied guest's resume 403.
        if (error.code === "not_found" || error.code === "gone") this.#options.onClosed("ended");
        else if (error.code === "forbidden" && !("token" in this.#options.credential())) this.#options.onClosed("denied");
        else this.#options.onFailed(error);
        return;
      }
      this.#scheduleReconnect();
    }
  }
}

/** `fetch`, with a network that is gone (fetch's `TypeError`) reported as the `network` `CallError`. */
async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch {
    throw new CallError("network", "The service could not be reached.");
  }
}

/** A `CallError` from an HTTP error answer. */
async function errorFrom(response: Response): Promise<CallError> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (typeof body.error === "string") return new CallError(body.error, body.message ?? response.statusText);
  } catch {
    // not JSON: fall through
  }
  return new CallError(response.status >= 500 ? "internal" : "invalid_request", `The service answered ${response.status}.`);
}
