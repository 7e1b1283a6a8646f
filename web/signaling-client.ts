/**
 * The way into a consultation and the line to it: `POST …/join` for a
 * single-use ticket, then the WebSocket. When the socket drops for reasons
 * other than the contract's close codes, it fetches a fresh ticket and
 * reconnects: token holders present their token again, guests their
 * `resume` (kept in sessionStorage per consultation, so a page reload
 * resumes without a second trip through the lobby).
 */
import type { ClientMessage, ErrorBody, JoinResponse, ServerMessage } from "../worker/protocol.ts";
import { apiUrl, webSocketUrl } from "./api-url.ts";
import { CallError } from "./call-error.ts";
import { closeOutcome, parseServerMessage, reconnectDelayMs, type CloseOutcome } from "./server-messages.ts";
import { forget, recall, remember } from "./tab-memory.ts";

export type Credential = { token: string } | { code: string };

export interface SignalingOptions {
  apiBase: string | null;
  consultation: string;
  credential: Credential;
  onMessage(message: ServerMessage): void;
  /** The socket dropped and we are trying to get back in. */
  onReconnecting(): void;
  /** For good: `ended`/`denied`/`replaced`/`policy` by close code, or an error that ends the attempt. */
  onClosed(outcome: Exclude<CloseOutcome, "reconnect">): void;
  onFailed(error: CallError): void;
}

/** Keep-alive below common proxy idle timeouts; the server answers without waking the object. */
const PING_INTERVAL_MS = 20_000;
/** About two minutes of trying, matching the host's default grace period. */
const MAX_RECONNECT_ATTEMPTS = 14;

export class SignalingClient {
  private socket: WebSocket | null = null;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private closedForGood = false;
  /** Whether the last join presented a guest's resume rather than a code or token. */
  private presentedResume = false;

  constructor(private readonly options: SignalingOptions) {}

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Join and open the socket; rejects with a `CallError` when the server refuses. */
  async connect(): Promise<void> {
    let ticket: string;
    try {
      ticket = await this.fetchTicket();
    } catch (error) {
      // A guest reloading after the host said no: their resume is refused.
      if (error instanceof CallError && error.code === "forbidden" && this.presentedResume) {
        this.closedForGood = true;
        this.options.onClosed("denied");
        return;
      }
      throw error;
    }
    // Closed (left, removed) while the ticket was on its way.
    if (this.closedForGood) return;
    await this.openSocket(ticket);
  }

  send(message: ClientMessage): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(JSON.stringify(message));
    return true;
  }

  /** Close for good; `forgetResume` when the guest left on purpose and must not slip back in. */
  close(forgetResume = false): void {
    this.closedForGood = true;
    clearInterval(this.pingTimer);
    clearTimeout(this.retryTimer);
    if (forgetResume) forget("resume", this.options.consultation);
    this.socket?.close(1000, "left");
    this.socket = null;
  }

  /** `DELETE` the consultation with the host's token, for when the socket is not there. */
  async endByRequest(): Promise<void> {
    if (!("token" in this.options.credential)) throw new CallError("forbidden", "Only the host can end the consultation.");
    const response = await fetch(this.url(`/api/v1/consultations/${encodeURIComponent(this.options.consultation)}`), {
      method: "DELETE",
      headers: { authorization: `Bearer ${this.options.credential.token}` },
    });
    if (!response.ok && response.status !== 404 && response.status !== 410) throw await errorFrom(response);
  }

  private url(path: string): string {
    return apiUrl(this.options.apiBase, path, location.origin);
  }

  private async fetchTicket(): Promise<string> {
    const { credential, consultation } = this.options;
    const headers: Record<string, string> = { "content-type": "application/json" };
    let body: Record<string, string> = {};
    const resume = recall("resume", this.options.consultation);
    if ("token" in credential) headers.authorization = `Bearer ${credential.token}`;
    else body = resume ? { resume } : { code: credential.code };

    const joinUrl = this.url(`/api/v1/consultations/${encodeURIComponent(consultation)}/join`);
    let response = await fetch(joinUrl, { method: "POST", headers, body: JSON.stringify(body) });
    this.presentedResume = "resume" in body;
    if (response.status === 401 && "resume" in body && "code" in credential) {
      // A stale resume from an earlier visit: the code may still be fresh.
      forget("resume", this.options.consultation);
      this.presentedResume = false;
      response = await fetch(joinUrl, { method: "POST", headers, body: JSON.stringify({ code: credential.code }) });
    }
    if (!response.ok) throw await errorFrom(response);
    const answer = (await response.json()) as JoinResponse;
    // A guest who left while this answer was on its way must not slip back in on a reload.
    if (answer.resume && !this.closedForGood) remember("resume", this.options.consultation, answer.resume);
    return answer.ticket;
  }

  private openSocket(ticket: string): Promise<void> {
    const path = `/api/v1/consultations/${encodeURIComponent(this.options.consultation)}/ws?ticket=${encodeURIComponent(ticket)}`;
    const socket = new WebSocket(webSocketUrl(this.url(path)));
    this.socket = socket;
    return new Promise((resolve, reject) => {
      let opened = false;
      socket.addEventListener("open", () => {
        opened = true;
        this.attempt = 0;
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => {
          if (socket.readyState === WebSocket.OPEN) socket.send("ping");
        }, PING_INTERVAL_MS);
        resolve();
      });
      socket.addEventListener("message", (event) => {
        if (socket !== this.socket || typeof event.data !== "string") return;
        const message = parseServerMessage(event.data);
        if (message) this.options.onMessage(message);
      });
      socket.addEventListener("close", (event) => {
        // Before it opened, whoever waits must hear, also when close() gave it up.
        if (!opened) reject(new CallError("network", "The connection to the service could not be opened."));
        if (socket !== this.socket) return;
        clearInterval(this.pingTimer);
        this.socket = null;
        if (opened) this.onSocketClosed(event.code);
      });
    });
  }

  private onSocketClosed(code: number): void {
    if (this.closedForGood) return;
    const outcome = closeOutcome(code);
    if (outcome !== "reconnect") {
      // A denied guest keeps the resume: on a reload it is refused, and the
      // page says "not admitted" again instead of "this code was used".
      this.closedForGood = true;
      this.options.onClosed(outcome);
      return;
    }
    this.options.onReconnecting();
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.attempt >= MAX_RECONNECT_ATTEMPTS) {
      this.closedForGood = true;
      this.options.onFailed(new CallError("network", "The connection was lost and could not be restored."));
      return;
    }
    this.retryTimer = setTimeout(() => void this.reconnect(), reconnectDelayMs(this.attempt++));
  }

  private async reconnect(): Promise<void> {
    if (this.closedForGood) return;
    try {
      const ticket = await this.fetchTicket();
      if (this.closedForGood) return;
      await this.openSocket(ticket);
    } catch (error) {
      if (this.closedForGood) return;
      if (error instanceof CallError && error.code !== "network" && error.code !== "rate_limited" && error.code !== "internal") {
        this.closedForGood = true;
        // An ended consultation answers 404/410; a denied guest's resume 403.
        if (error.code === "not_found" || error.code === "gone") this.options.onClosed("ended");
        else if (error.code === "forbidden" && !("token" in this.options.credential)) this.options.onClosed("denied");
        else this.options.onFailed(error);
        return;
      }
      this.scheduleReconnect();
    }
  }
}

/** A `CallError` from an HTTP error answer; network-level failures become `network`. */
async function errorFrom(response: Response): Promise<CallError> {
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (typeof body.error === "string") return new CallError(body.error, body.message ?? response.statusText);
  } catch {
    // not JSON: fall through
  }
  return new CallError(response.status >= 500 ? "internal" : "invalid_request", `The service answered ${response.status}.`);
}
