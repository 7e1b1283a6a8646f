import { parseClientMessage } from "./client-messages.ts";
import { FloodGuard, isOversized } from "./flood-guard.ts";
import { CloseCode, type ClientMessage, type ErrorCode, type ServerMessage } from "./protocol.ts";

/** What each hibernatable socket remembers about itself across wake-ups. */
interface SocketAttachment {
  memberId: string;
}

/** What this wake-up knows about a socket; rebuilt lazily after hibernation. */
interface SocketState {
  memberId: string;
  guard: FloodGuard;
}

/**
 * The consultation's hibernatable sockets: which member each belongs to,
 * the flood guard on what comes in, and the fan-out of what goes out. It
 * knows nothing of the rules; the runtime is the source of truth for which
 * sockets exist (each is tagged with its member's id), so nothing here can
 * drift from it across hibernation.
 */
export class Connections {
  /** Per-socket memory; a WeakMap, so closed sockets take theirs with them. */
  private readonly sockets = new WeakMap<WebSocket, SocketState>();

  constructor(private readonly ctx: DurableObjectState) {
    // Answered by the runtime without waking the object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  /** Accepts a member's new socket; the member's older sockets are replaced. */
  accept(socket: WebSocket, memberId: string): { replaced: boolean } {
    const previous = this.socketsOf(memberId);
    this.ctx.acceptWebSocket(socket, [memberId]);
    socket.serializeAttachment({ memberId } satisfies SocketAttachment);
    for (const old of previous) closeQuietly(old, CloseCode.replaced, "replaced by a newer connection");
    return { replaced: previous.length > 0 };
  }

  memberOf(socket: WebSocket): string {
    return this.stateOf(socket).memberId;
  }

  /**
   * A frame, checked and parsed once: its rate, its size, its form. What
   * fails is refused here with an `error` (a socket that keeps on failing
   * is closed), and undefined returned.
   */
  receive(socket: WebSocket, frame: string | ArrayBuffer): ClientMessage | undefined {
    const { guard } = this.stateOf(socket);
    if (!guard.take()) return this.refuse(socket, guard, "rate_limited", "Too many messages: at most 50 a second.");
    if (isOversized(frame)) return this.refuse(socket, guard, "too_large", "Messages may be at most 64 KiB.");
    if (typeof frame !== "string") return this.refuse(socket, guard, "invalid_request", "Only JSON text frames are accepted.");
    const parsed = parseClientMessage(frame);
    if ("invalid" in parsed) return this.refuse(socket, guard, "invalid_request", parsed.invalid);
    return parsed;
  }

  /** A member's open sockets (usually one), leaving out `except`. */
  socketsOf(memberId: string, except?: WebSocket): WebSocket[] {
    return this.ctx.getWebSockets(memberId).filter((s) => s !== except && s.readyState === WebSocket.OPEN);
  }

  isConnected(memberId: string): boolean {
    return this.socketsOf(memberId).length > 0;
  }

  /** Sends to every socket of a member; false when the member has none. */
  sendToMember(memberId: string, message: ServerMessage): boolean {
    const sockets = this.socketsOf(memberId);
    if (sockets.length === 0) return false;
    // Serialised once, however many sockets hear it.
    const text = JSON.stringify(message);
    for (const socket of sockets) sendText(socket, text);
    return true;
  }

  /** Sends to every socket of each member in `memberIds`. */
  broadcast(memberIds: Iterable<string>, message: ServerMessage): void {
    const text = JSON.stringify(message);
    for (const memberId of memberIds) {
      for (const socket of this.socketsOf(memberId)) sendText(socket, text);
    }
  }

  /**
   * Completes the closing handshake a client began. The code it sent may not
   * be one a server may echo (1005, 1006): a plain 1000 answers those.
   */
  answerClose(socket: WebSocket, code: number): void {
    closeQuietly(socket, code >= 3000 && code < 5000 ? code : 1000, "closed");
  }

  /** Closes every socket of a member. */
  closeMember(memberId: string, code: number, reason: string): void {
    for (const socket of this.socketsOf(memberId)) closeQuietly(socket, code, reason);
  }

  /** Says goodbye to every socket of a member, then closes it. */
  dismissMember(memberId: string, message: ServerMessage, code: number, reason: string): void {
    const text = JSON.stringify(message);
    for (const socket of this.socketsOf(memberId)) {
      sendText(socket, text);
      closeQuietly(socket, code, reason);
    }
  }

  /** Says goodbye to every socket, then closes it. */
  closeAll(message: ServerMessage, code: number, reason: string): void {
    const text = JSON.stringify(message);
    for (const socket of this.ctx.getWebSockets()) {
      sendText(socket, text);
      closeQuietly(socket, code, reason);
    }
  }

  private stateOf(socket: WebSocket): SocketState {
    let state = this.sockets.get(socket);
    if (!state) {
      const { memberId } = socket.deserializeAttachment() as SocketAttachment;
      this.sockets.set(socket, (state = { memberId, guard: new FloodGuard() }));
    }
    return state;
  }

  /** Refuses one message; a socket that keeps on being refused is closed. */
  private refuse(socket: WebSocket, guard: FloodGuard, code: ErrorCode, message: string): undefined {
    if (guard.strike()) closeQuietly(socket, CloseCode.policy, "too many refused messages");
    else sendError(socket, code, message);
    return undefined;
  }
}

export function send(socket: WebSocket, message: ServerMessage): void {
  sendText(socket, JSON.stringify(message));
}

export function sendError(socket: WebSocket, code: ErrorCode, message: string): void {
  send(socket, { type: "error", code, message });
}

export function closeQuietly(socket: WebSocket, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    // Already closed.
  }
}

function sendText(socket: WebSocket, text: string): void {
  try {
    socket.send(text);
  } catch {
    // The socket closed meanwhile; its close event tidies up.
  }
}
