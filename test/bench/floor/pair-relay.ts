/**
 * The benchmark's floor: `GET /ws?pair=N&side=a|b` opens a hibernatable
 * WebSocket on the pair's Durable Object, which passes every message,
 * unread, to the other side's socket. No parsing, no storage, no checks:
 * whatever Samtale takes beyond this is the cost of its own logic.
 */
import { DurableObject } from "cloudflare:workers";

interface Env {
  PAIRS: DurableObjectNamespace<PairRelay>;
}

type Side = "a" | "b";

export class PairRelay extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const side = new URL(request.url).searchParams.get("side") as Side;
    const [client, server] = Object.values(new WebSocketPair()) as [WebSocket, WebSocket];
    this.ctx.acceptWebSocket(server, [side]);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): void {
    const other: Side = this.ctx.getTags(socket)[0] === "a" ? "b" : "a";
    for (const peer of this.ctx.getWebSockets(other)) peer.send(message);
  }

  override webSocketClose(socket: WebSocket, code: number): void {
    socket.close(code >= 3000 && code < 5000 ? code : 1000, "closed");
  }
}

export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const pair = url.searchParams.get("pair");
    const side = url.searchParams.get("side");
    if (url.pathname !== "/ws" || !pair || (side !== "a" && side !== "b") || request.headers.get("upgrade") !== "websocket") {
      return new Response("GET /ws?pair=N&side=a|b with a WebSocket upgrade", { status: 400 });
    }
    return env.PAIRS.get(env.PAIRS.idFromName(pair)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
