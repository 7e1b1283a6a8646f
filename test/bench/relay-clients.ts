/**
 * Clients for the relays the benchmarks drive, one shape for all three: a
 * relay connects a pair of sockets, each side sends a payload to the other
 * and hears the other's payloads. What differs is only how a pair gets in
 * and how a payload is framed:
 *
 * - Samtale: the real contract, as a partner would run it (a token from the
 *   demo issuer, create, join with the invite code, WebSocket tickets, admit,
 *   then `signal` messages);
 * - the floor (`floor/pair-relay.ts`): two sockets on one Durable Object,
 *   sent Samtale's own `signal` frames so both relays carry the same bytes;
 * - PeerServer: two PeerJS clients exchanging `CANDIDATE` messages.
 */

/** What the benchmarks send: when it left, and padding to a wire size. */
export interface SignalPayload {
  /** Which measurement it belongs to, so a late message from an earlier one is not counted. */
  run: string;
  seq: number;
  /** performance.now() at sending: sender and receiver share the clock. */
  sentAt: number;
  pad: string;
}

export interface Side {
  send(payload: SignalPayload): void;
  /** Set by whoever measures: called with every payload the other side sent. */
  onSignal: (payload: SignalPayload) => void;
  /** Messages the relay refused (Samtale's `error`, PeerServer's `ERROR`). */
  readonly refused: number;
  /** Whether the socket is still open (no close seen). */
  isOpen(): boolean;
  /**
   * Sends the text frame `ping` and says whether `pong` came back in time:
   * Samtale's runtime answers it without waking the Durable Object.
   */
  ping(timeoutMs: number): Promise<boolean>;
  close(): void;
}

export interface Pair {
  a: Side;
  b: Side;
}

export interface Relay {
  name: string;
  connectPair(index: number): Promise<Pair>;
}

/** A socket whose messages can be awaited during a handshake, then streamed. */
class Line {
  private readonly waiting: { match: (m: any) => boolean; resolve: (m: any) => void }[] = [];
  private readonly backlog: any[] = [];
  onMessage: ((message: any) => void) | null = null;
  /** Text frames that are not JSON (the runtime's `pong`). */
  onText: (text: string) => void = () => {};
  readonly ws: WebSocket;

  private constructor(ws: WebSocket) {
    this.ws = ws;
    ws.addEventListener("message", (event) => {
      const text = String(event.data);
      if (!text.startsWith("{")) return this.onText(text);
      const message = JSON.parse(text);
      if (this.onMessage) return this.onMessage(message);
      const index = this.waiting.findIndex((w) => w.match(message));
      if (index >= 0) this.waiting.splice(index, 1)[0]!.resolve(message);
      else this.backlog.push(message);
    });
  }

  static open(url: string, origin?: string): Promise<Line> {
    // Node's WebSocket takes headers as a second argument; the DOM type does not know it.
    const ws = new WebSocket(url, (origin ? { headers: { origin } } : undefined) as unknown as string[]);
    return new Promise((resolve, reject) => {
      ws.addEventListener("open", () => resolve(new Line(ws)), { once: true });
      ws.addEventListener("error", () => reject(new Error(`cannot open ${url}`)), { once: true });
    });
  }

  next(type: string, timeoutMs = 30_000): Promise<any> {
    const match = (m: any) => m?.type === type;
    const index = this.backlog.findIndex(match);
    if (index >= 0) return Promise.resolve(this.backlog.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }
}

/** A side over one line, given how to frame a payload and how to read one back. */
function sideOf(line: Line, frame: (payload: SignalPayload) => unknown, read: (message: any) => SignalPayload | "refused" | undefined, onClose = () => {}): Side {
  const pongs: (() => void)[] = [];
  line.onText = (text) => {
    if (text === "pong") pongs.shift()?.();
  };
  const side = {
    refused: 0,
    onSignal: (_payload: SignalPayload) => {},
    send: (payload: SignalPayload) => line.send(frame(payload)),
    isOpen: () => line.ws.readyState === WebSocket.OPEN,
    ping: (timeoutMs: number) =>
      new Promise<boolean>((resolve) => {
        if (line.ws.readyState !== WebSocket.OPEN) return resolve(false);
        const timer = setTimeout(() => resolve(false), timeoutMs);
        // Answers come in order: each pong settles the oldest ping waiting.
        pongs.push(() => (clearTimeout(timer), resolve(true)));
        line.ws.send("ping");
      }),
    close: () => {
      onClose();
      line.ws.close(1000);
    },
  };
  line.onMessage = (message) => {
    const payload = read(message);
    if (payload === "refused") side.refused += 1;
    else if (payload) side.onSignal(payload);
  };
  return side;
}

export function samtaleRelay(origin: string): Relay {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, any>;
    if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const wsOrigin = origin.replace(/^http/, "ws");
  const read = (message: any) => (message.type === "signal" ? message.data : message.type === "error" ? "refused" : undefined);
  return {
    name: "Samtale",
    async connectPair(index) {
      const { token } = await post("/dev/token", { sub: `bench-host-${index}`, role: "practitioner" });
      const created = await post("/api/v1/consultations", { invitee: {} }, token);
      const base = `/api/v1/consultations/${created.id}`;
      const host = await Line.open(`${wsOrigin}${base}/ws?ticket=${(await post(`${base}/join`, {}, token)).ticket}`, origin);
      await host.next("welcome");
      const guestTicket = (await post(`${base}/join`, { code: created.invite.code })).ticket;
      const guest = await Line.open(`${wsOrigin}${base}/ws?ticket=${guestTicket}`, origin);
      await guest.next("lobby");
      const knock = await host.next("knock");
      host.send({ type: "admit", id: knock.participant.id });
      const welcome = await guest.next("welcome");
      await host.next("peer-joined");
      const hostId: string = welcome.participants.find((p: { role: string }) => p.role === "host").id;
      const guestId: string = welcome.you.id;
      return {
        a: sideOf(host, (data) => ({ type: "signal", to: guestId, data }), read),
        b: sideOf(guest, (data) => ({ type: "signal", to: hostId, data }), read),
      };
    },
  };
}

export function floorRelay(origin: string): Relay {
  const wsOrigin = origin.replace(/^http/, "ws");
  // The same frames a Samtale client sends; the floor relays them unread.
  const frame = (data: SignalPayload) => ({ type: "signal", to: "other", data });
  const read = (message: any) => message.data as SignalPayload;
  return {
    name: "floor",
    async connectPair(index) {
      const a = await Line.open(`${wsOrigin}/ws?pair=${index}&side=a`);
      const b = await Line.open(`${wsOrigin}/ws?pair=${index}&side=b`);
      return { a: sideOf(a, frame, read), b: sideOf(b, frame, read) };
    },
  };
}

/** PeerJS clients send a heartbeat every 5 s, as the `peerjs` library does. */
const PEERJS_HEARTBEAT_MS = 5000;

export function peerServerRelay(origin: string): Relay {
  const wsOrigin = origin.replace(/^http/, "ws");
  const read = (message: any) => (message.type === "CANDIDATE" ? message.payload : message.type === "ERROR" ? "refused" : undefined);
  const connect = async (id: string, other: string) => {
    const line = await Line.open(`${wsOrigin}/peerjs?key=peerjs&id=${id}&token=${crypto.randomUUID()}`);
    await line.next("OPEN");
    const heartbeat = setInterval(() => line.send({ type: "HEARTBEAT" }), PEERJS_HEARTBEAT_MS);
    return sideOf(line, (payload) => ({ type: "CANDIDATE", dst: other, payload }), read, () => clearInterval(heartbeat));
  };
  return {
    name: "PeerServer",
    async connectPair(index) {
      const a = await connect(`bench-${index}-a`, `bench-${index}-b`);
      const b = await connect(`bench-${index}-b`, `bench-${index}-a`);
      return { a, b };
    },
  };
}
