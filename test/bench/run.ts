/**
 * Samtale's benchmarks. These machines are noisy, so every figure is a ratio
 * against a baseline measured in the same run, with absolute values beside
 * it for context:
 *
 * - element size: the gzipped `<samtale-call>` module against a bare Lit
 *   element bundled the same way (what Lit alone costs);
 * - signaling relay: a `signal` round trip host → guest → host through the
 *   Durable Object, against the runtime's `ping`/`pong` auto-response on the
 *   same socket (the cost of the network path without any of our code).
 *
 * Run with `npm run bench` (it builds first). Not part of `npm test`.
 */
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { freePort, startWorker } from "../e2e/services.ts";

const ROUNDS = 300;

async function elementSize() {
  const element = gzipSync(readFileSync("dist/web/samtale-call.js")).byteLength;
  const bare = await build({
    stdin: {
      contents: `import { LitElement, html } from "lit";
        class Bare extends LitElement { render() { return html\`<p>bare</p>\`; } }
        customElements.define("bare-element", Bare);`,
      resolveDir: process.cwd(),
    },
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    write: false,
  });
  const baseline = gzipSync(bare.outputFiles[0]!.contents).byteLength;
  return { element, baseline };
}

interface Socket {
  ws: WebSocket;
  next(match: (data: string) => boolean): Promise<string>;
}

function open(url: string, origin: string): Promise<Socket> {
  const ws = new WebSocket(url, { headers: { origin } } as unknown as string[]);
  const waiting: { match: (data: string) => boolean; resolve: (data: string) => void }[] = [];
  const backlog: string[] = [];
  ws.addEventListener("message", (event) => {
    const data = String(event.data);
    const index = waiting.findIndex((w) => w.match(data));
    if (index >= 0) waiting.splice(index, 1)[0]!.resolve(data);
    else backlog.push(data);
  });
  const next = (match: (data: string) => boolean) =>
    new Promise<string>((resolve) => {
      const index = backlog.findIndex(match);
      if (index >= 0) resolve(backlog.splice(index, 1)[0]!);
      else waiting.push({ match, resolve });
    });
  return new Promise((resolve, reject) => {
    ws.addEventListener("open", () => resolve({ ws, next }), { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot open ${url}`)), { once: true });
  });
}

const ofType = (type: string) => (data: string) => data.startsWith("{") && JSON.parse(data).type === type;

async function relayTimes() {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const worker = await startWorker(port, { DEV_AUTH: "1", DATA_JURISDICTION: "none" });
  try {
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${origin}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return (await response.json()) as Record<string, any>;
    };
    const { token } = await post("/dev/token", { sub: "bench-host", role: "practitioner" });
    const created = await post("/api/v1/consultations", { invitee: {} }, token);
    const socketUrl = async (who: Record<string, unknown>, bearer?: string) => {
      const { ticket } = await post(`/api/v1/consultations/${created.id}/join`, who, bearer);
      return `ws://127.0.0.1:${port}/api/v1/consultations/${created.id}/ws?ticket=${ticket}`;
    };
    const host = await open(await socketUrl({}, token), origin);
    await host.next(ofType("welcome"));
    const guest = await open(await socketUrl({ code: created.invite.code }), origin);
    const knock = JSON.parse(await host.next(ofType("knock")));
    host.ws.send(JSON.stringify({ type: "admit", id: knock.participant.id }));
    const welcome = JSON.parse(await guest.next(ofType("welcome")));
    const hostId = welcome.participants.find((p: { role: string }) => p.role === "host").id;
    const guestId = welcome.you.id;
    // The guest echoes every signal back, as a peer answering an offer would.
    guest.ws.addEventListener("message", (event) => {
      const message = String(event.data);
      if (ofType("signal")(message)) {
        guest.ws.send(JSON.stringify({ type: "signal", to: hostId, data: JSON.parse(message).data }));
      }
    });

    const ping: number[] = [];
    const relay: number[] = [];
    // Interleaved, so both see the same machine load; paced below the
    // 50 messages a second the server allows each socket.
    for (let round = 0; round < ROUNDS; round++) {
      let started = performance.now();
      guest.ws.send("ping");
      await guest.next((data) => data === "pong");
      ping.push(performance.now() - started);

      started = performance.now();
      host.ws.send(JSON.stringify({ type: "signal", to: guestId, data: { round } }));
      await host.next((data) => ofType("signal")(data) && JSON.parse(data).data.round === round);
      relay.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    host.ws.close();
    guest.ws.close();
    return { ping, relay };
  } finally {
    await worker.stop();
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const size = await elementSize();
const { ping, relay } = await relayTimes();
const rows = [
  ["element, gzipped", `${(size.element / 1024).toFixed(1)} kB`, `bare Lit element ${(size.baseline / 1024).toFixed(1)} kB`, size.element / size.baseline],
  ["relay round trip, median", `${percentile(relay, 50).toFixed(2)} ms`, `ping/pong ${percentile(ping, 50).toFixed(2)} ms`, percentile(relay, 50) / percentile(ping, 50)],
  ["relay round trip, p95", `${percentile(relay, 95).toFixed(2)} ms`, `ping/pong ${percentile(ping, 95).toFixed(2)} ms`, percentile(relay, 95) / percentile(ping, 95)],
];
console.log(`\nSamtale benchmarks (${ROUNDS} rounds; ratio = measured / baseline, same run)\n`);
console.log("| measure | value | baseline | ratio |\n| --- | --- | --- | --- |");
for (const [what, value, baseline, ratio] of rows) console.log(`| ${what} | ${value} | ${baseline} | ${(ratio as number).toFixed(2)}× |`);
