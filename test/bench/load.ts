/**
 * Samtale under load, `npm run load` (not part of `npm test`). Drives the
 * real contract (demo-issuer tokens, create, join, tickets, lobby, admit,
 * signals) against `wrangler dev` and prints one table:
 *
 * 1. idle: N consultations (host and guest admitted) connected at once and
 *    left idle, each socket sending the element's `ping` every 20 s; then
 *    every socket pinged once more. The runtime answers `pong` itself, so the
 *    objects can hibernate: the runtime's CPU over the idle period (its
 *    process tree, from /proc) should be near zero, and its resident memory
 *    per consultation is the workerd RSS growth divided by N;
 * 2. signalling: the first K of them at 20 signals a second per socket, for
 *    K rising to --signalling, each step measured first on the floor (a bare
 *    Durable Object relay under its own `wrangler dev`, test/bench/floor) and
 *    then on Samtale: below the K at which the floor is saturated in this
 *    run (it loses signals, or falls a second behind), Samtale must lose none;
 * 3. creates: --creates consultations created and joined (host ticket, guest
 *    code) as fast as --concurrency allows; errors counted by step and code;
 *    afterwards every created consultation must read back whole (GET) and a
 *    join that failed in the rush must succeed now: nothing half-created.
 *
 * The relays run in child processes (never this event loop), everything is
 * on 127.0.0.1, and a watchdog stops the run at --budget-seconds, printing
 * what it has.
 */
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { freePort } from "../e2e/services.ts";
import { cpuSeconds, runtimeRssBytes } from "./process-usage.ts";
import { floorRelay, samtaleRelay, type Pair, type Relay, type Side } from "./relay-clients.ts";
import { startWrangler, type Service } from "./services.ts";
import { settle, steadyLoad, type Delivery } from "./signal-load.ts";
import { percentile } from "./stats.ts";

const { values: flags } = parseArgs({
  options: {
    consultations: { type: "string", default: "500" },
    "idle-seconds": { type: "string", default: "300" },
    signalling: { type: "string", default: "200" },
    "signal-seconds": { type: "string", default: "10" },
    creates: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "12" },
    "budget-seconds": { type: "string", default: "720" },
  },
});
const number = (name: keyof typeof flags) => {
  const value = Number(flags[name]);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0`);
  return value;
};
const CONSULTATIONS = Math.max(2, number("consultations"));
const IDLE_SECONDS = number("idle-seconds");
const SIGNALLING = Math.min(number("signalling"), CONSULTATIONS);
const SIGNAL_SECONDS = number("signal-seconds");
const CREATES = number("creates");
const CONCURRENCY = Math.max(1, number("concurrency"));
const BUDGET_SECONDS = number("budget-seconds");

/** What the element does: one `ping` every 20 s per socket. */
const PING_INTERVAL_MS = 20_000;
const PONG_TIMEOUT_MS = 10_000;
/** Objects with nothing to do hibernate after about 10 s; give them a little more. */
const HIBERNATE_MS = 15_000;
const SIGNALS_PER_SECOND = 20;
/** Rising steps, so that the floor's saturation point falls between two of them. */
const SIGNAL_STEPS = [1, 10, 25, 50, 100, 200];
/**
 * A relay whose median signal takes longer than this is behind the offered
 * load: its backlog grows for as long as the step lasts, so it is saturated
 * even when the drain that follows still lets it deliver everything.
 */
const SATURATED_P50_MS = 1000;
/** Longest wait for a saturated relay's backlog before the next step. */
const SETTLE_MAX_MS = 5_000;

const args = process.argv.slice(2).join(" ");
const command = process.env.npm_lifecycle_event === "load" ? `npm run load${args ? ` -- ${args}` : ""}` : `node test/bench/load.ts ${args}`.trim();
const startedAt = performance.now();
const elapsed = () => (performance.now() - startedAt) / 1000;
const progress = (line: string) => console.error(`[${elapsed().toFixed(0).padStart(4)} s] ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const ms = (value: number) => (Number.isNaN(value) ? "–" : `${value.toFixed(value < 10 ? 2 : 0)} ms`);
const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The table, filled as phases finish, so a run cut short still prints what it measured. */
const rows: [string, string, string][] = [];
const notes: string[] = [];
const row = (measure: string, value: string, target = "") => rows.push([measure, value, target]);
const verdict = (pass: boolean, target: string) => `${pass ? "PASS" : "FAIL"} (${target})`;
const loadAtStart = loadavg()[0]!;

function printTable(): void {
  console.log(
    `\nSamtale load: ${command}\n` +
      `${new Date().toISOString()}, ${cpus().length} cores, load average ${loadAtStart.toFixed(1)} at start and ${loadavg()[0]!.toFixed(1)} at the end, ${elapsed().toFixed(0)} s in all\n`,
  );
  console.log("| measure | value | target |");
  console.log("| --- | --- | --- |");
  for (const cells of rows) console.log(`| ${cells.join(" | ")} |`);
  if (notes.length > 0) console.log(`\n${notes.join("\n")}`);
}

/** Runs `task` for 0..count-1 with at most `concurrency` at a time. */
async function pooled(count: number, concurrency: number, task: (index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

const services: Service[] = [];
let phase = "start";
const stopAll = () => Promise.all(services.map((service) => service.stop()));
const watchdog = setTimeout(async () => {
  notes.push(`Stopped by the watchdog after ${BUDGET_SECONDS} s, during: ${phase}. Rows above are complete; later ones are missing.`);
  printTable();
  await stopAll();
  process.exit(2);
}, BUDGET_SECONDS * 1000);

const sides = (pairs: Pair[]) => pairs.flatMap(({ a, b }) => [a, b]);

// ---------------------------------------------------------------------------
// 1. Idle consultations

async function connectConsultations(relay: Relay, count: number): Promise<{ pairs: Pair[]; failures: Map<string, number> }> {
  const pairs: Pair[] = [];
  const failures = new Map<string, number>();
  await pooled(count, CONCURRENCY, async (index) => {
    try {
      pairs.push(await relay.connectPair(index));
    } catch (error) {
      const reason = String(error instanceof Error ? error.message : error).slice(0, 80);
      failures.set(reason, (failures.get(reason) ?? 0) + 1);
    }
    if ((index + 1) % 100 === 0) progress(`  ${index + 1} of ${count} done`);
  });
  return { pairs, failures };
}

/** Every socket pings every PING_INTERVAL_MS (spread out, as real clients are) until `until`. */
async function idleWithPings(all: Side[], until: number): Promise<{ sent: number; answered: number }> {
  const counts = { sent: 0, answered: 0 };
  await Promise.all(
    all.map(async (side) => {
      await sleep(Math.random() * PING_INTERVAL_MS);
      while (performance.now() + PONG_TIMEOUT_MS < until) {
        const tickAt = performance.now();
        counts.sent += 1;
        if (await side.ping(PONG_TIMEOUT_MS)) counts.answered += 1;
        await sleep(Math.max(0, Math.min(tickAt + PING_INTERVAL_MS, until) - performance.now()));
      }
    }),
  );
  await sleep(Math.max(0, until - performance.now()));
  return counts;
}

async function idlePhase(samtale: Service): Promise<Pair[]> {
  phase = `connecting ${CONSULTATIONS} consultations`;
  progress(phase);
  const relay = samtaleRelay(samtale.origin);
  // One consultation first, so that the baseline has the code loaded and an isolate warm.
  const first = await relay.connectPair(0);
  await sleep(2000);
  const rssBaseline = runtimeRssBytes(samtale.pid);
  const connectStarted = performance.now();
  const { pairs: rest, failures } = await connectConsultations(relay, CONSULTATIONS - 1);
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  const pairs = [first, ...rest];
  const rssConnected = runtimeRssBytes(samtale.pid);
  row(`consultations admitted (host + guest in)`, `${pairs.length} of ${CONSULTATIONS} in ${connectSeconds.toFixed(0)} s`, verdict(pairs.length === CONSULTATIONS, "all"));
  for (const [reason, count] of failures) notes.push(`Not admitted (${count}): ${reason}`);

  phase = `idle for ${IDLE_SECONDS} s`;
  progress(`${phase} with ${pairs.length * 2} sockets, each pinging every ${PING_INTERVAL_MS / 1000} s`);
  const idleEnds = performance.now() + IDLE_SECONDS * 1000;
  const pinging = idleWithPings(sides(pairs), idleEnds);
  // CPU counts from when the objects have had time to hibernate after the last admit.
  await sleep(Math.min(HIBERNATE_MS, (IDLE_SECONDS * 1000) / 3));
  const cpuBefore = cpuSeconds(samtale.pid);
  const measureStarted = performance.now();
  const pings = await pinging;
  const cpuUsed = cpuSeconds(samtale.pid) - cpuBefore;
  const idleWall = (performance.now() - measureStarted) / 1000;
  const rssIdle = runtimeRssBytes(samtale.pid);

  phase = "pinging every socket after the idle period";
  const open = sides(pairs).filter((side) => side.isOpen()).length;
  const answers = await Promise.all(sides(pairs).map((side) => side.ping(PONG_TIMEOUT_MS)));
  const answered = answers.filter(Boolean).length;
  row(`sockets open after ${IDLE_SECONDS} s idle`, `${open} of ${pairs.length * 2}`, verdict(open === pairs.length * 2, "all"));
  row("`ping` answered `pong`, after the idle period", `${answered} of ${answers.length}`, verdict(answered === answers.length, "all"));
  row("`ping` answered `pong`, during it (every 20 s a socket)", `${pings.answered} of ${pings.sent}`, verdict(pings.answered === pings.sent, "all"));
  const cpuPercent = (100 * cpuUsed) / idleWall;
  row(
    "runtime CPU while idle (wrangler + workerd tree)",
    `${cpuUsed.toFixed(2)} s in the last ${idleWall.toFixed(0)} s = ${cpuPercent.toFixed(1)} % of a core`,
    verdict(cpuPercent < 5, "< 5 % of a core"),
  );
  row("workerd RSS: warm / all connected / after idle", `${megabytes(rssBaseline)} / ${megabytes(rssConnected)} / ${megabytes(rssIdle)}`);
  row(
    "memory per consultation (RSS growth after idle ÷ consultations)",
    `${((rssIdle - rssBaseline) / 1024 / Math.max(1, pairs.length - 1)).toFixed(0)} kB (just connected: ${((rssConnected - rssBaseline) / 1024 / Math.max(1, pairs.length - 1)).toFixed(0)} kB)`,
  );
  return pairs;
}

// ---------------------------------------------------------------------------
// 2. Signalling, against the floor measured in the same run

async function signallingPhase(samtalePairs: Pair[], floor: Service): Promise<void> {
  const steps = [...new Set([...SIGNAL_STEPS.filter((k) => k < SIGNALLING), SIGNALLING])].filter((k) => k > 0 && k <= samtalePairs.length);
  if (steps.length === 0) return;
  const largest = steps.at(-1)!;
  phase = `connecting ${largest} floor pairs`;
  progress(phase);
  const { pairs: floorPairs } = await connectConsultations(floorRelay(floor.origin), largest);
  const lost = (d: Delivery) => d.sent - d.received;
  let floorSaturatedAt: number | undefined;
  for (const k of steps) {
    phase = `signalling: K=${k} at ${SIGNALS_PER_SECOND}/s a socket for ${SIGNAL_SECONDS} s`;
    progress(`${phase}: floor`);
    const bare = await steadyLoad(floorPairs.slice(0, k), SIGNALS_PER_SECOND, SIGNAL_SECONDS);
    const bareLate = await settle(floorPairs.slice(0, k), SETTLE_MAX_MS);
    progress(`${phase}: Samtale`);
    const ours = await steadyLoad(samtalePairs.slice(0, k), SIGNALS_PER_SECOND, SIGNAL_SECONDS);
    const oursLate = await settle(samtalePairs.slice(0, k), SETTLE_MAX_MS);
    if (lost(bare) > 0 || percentile(bare.latencies, 50) > SATURATED_P50_MS) floorSaturatedAt ??= k;
    const belowSaturation = floorSaturatedAt === undefined;
    row(
      `K=${k} signalling: delivered / lost of sent`,
      `Samtale ${ours.received} / ${lost(ours)} of ${ours.sent}; floor ${bare.received} / ${lost(bare)} of ${bare.sent}`,
      belowSaturation ? verdict(lost(ours) === 0, "0 lost, floor not saturated") : `n/a: floor saturated at K=${floorSaturatedAt}`,
    );
    row(
      `K=${k} one-way p50 / p99`,
      `Samtale ${ms(percentile(ours.latencies, 50))} / ${ms(percentile(ours.latencies, 99))}; floor ${ms(percentile(bare.latencies, 50))} / ${ms(percentile(bare.latencies, 99))}`,
    );
    if (ours.refused > 0) notes.push(`K=${k}: Samtale refused ${ours.refused} signals (counted as lost).`);
    if (oursLate + bareLate > 0) notes.push(`K=${k}: of the lost, Samtale ${oursLate} and the floor ${bareLate} arrived after the drain (backlog).`);
  }
  notes.push(
    floorSaturatedAt === undefined
      ? `The floor lost nothing up to K=${largest}: its saturation point lies above this run's largest step.`
      : `The floor's saturation point in this run: K=${floorSaturatedAt} (the first step at which it lost signals or its median signal took over ${SATURATED_P50_MS / 1000} s).`,
  );
  for (const side of sides(floorPairs)) side.close();
}

// ---------------------------------------------------------------------------
// 3. Creates and joins as fast as the machine allows

async function post(origin: string, path: string, body: unknown, token?: string): Promise<{ status: number; body: Record<string, any> }> {
  try {
    const response = await fetch(`${origin}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, any> };
  } catch {
    return { status: 0, body: { error: "network" } };
  }
}

async function createsPhase(samtale: Service): Promise<void> {
  if (CREATES === 0) return;
  phase = `${CREATES} creates and joins, ${CONCURRENCY} at a time`;
  progress(phase);
  const tokens: string[] = [];
  for (let lane = 0; lane < CONCURRENCY; lane++) {
    tokens.push((await post(samtale.origin, "/dev/token", { sub: `load-host-${lane}`, role: "practitioner" })).body.token);
  }
  const errors = new Map<string, number>();
  const fail = (step: string, answer: { status: number; body: Record<string, any> }) => {
    const key = `${step}: ${answer.status} ${answer.body.error ?? ""}`.trim();
    errors.set(key, (errors.get(key) ?? 0) + 1);
  };
  interface Made {
    id: string;
    expiresAt: string;
    token: string;
    code: string;
    hostJoined: boolean;
    guestJoined: boolean;
  }
  const made: Made[] = [];
  const createMs: number[] = [];
  const rushStarted = performance.now();
  await pooled(CREATES, CONCURRENCY, async (index) => {
    const token = tokens[index % tokens.length]!;
    const started = performance.now();
    const created = await post(samtale.origin, "/api/v1/consultations", { invitee: {} }, token);
    if (created.status !== 201) return fail("create", created);
    createMs.push(performance.now() - started);
    const base = `/api/v1/consultations/${created.body.id}`;
    const host = await post(samtale.origin, `${base}/join`, {}, token);
    if (host.status !== 200) fail("host join", host);
    const guest = await post(samtale.origin, `${base}/join`, { code: created.body.invite.code });
    if (guest.status !== 200) fail("guest join", guest);
    made.push({ id: created.body.id, expiresAt: created.body.expiresAt, token, code: created.body.invite.code, hostJoined: host.status === 200, guestJoined: guest.status === 200 });
  });
  const rushSeconds = (performance.now() - rushStarted) / 1000;

  phase = "checking that nothing is half-created";
  progress(phase);
  let whole = 0;
  const broken = new Map<string, number>();
  const flaw = (what: string) => broken.set(what, (broken.get(what) ?? 0) + 1);
  await pooled(made.length, CONCURRENCY, async (index) => {
    const consultation = made[index]!;
    const base = `${samtale.origin}/api/v1/consultations/${consultation.id}`;
    const view = await fetch(base, { headers: { authorization: `Bearer ${consultation.token}` } }).catch(() => undefined);
    const body = view?.ok ? ((await view.json()) as Record<string, any>) : undefined;
    if (!body || body.id !== consultation.id || body.state !== "open" || body.expiresAt !== consultation.expiresAt) return flaw(`view ${view?.status ?? "network"}`);
    if (!consultation.hostJoined && (await post(samtale.origin, `/api/v1/consultations/${consultation.id}/join`, {}, consultation.token)).status !== 200) {
      return flaw("host join still fails");
    }
    if (!consultation.guestJoined) {
      // A code the rush redeemed although its answer was lost reads `code_used`: whole, too.
      const again = await post(samtale.origin, `/api/v1/consultations/${consultation.id}/join`, { code: consultation.code });
      if (again.status !== 200 && again.body.error !== "code_used") return flaw("guest join still fails");
    }
    whole += 1;
  });

  row(
    `creates + host join + guest join, ${CONCURRENCY} at a time`,
    `${made.length} of ${CREATES} created in ${rushSeconds.toFixed(0)} s (${(made.length / rushSeconds).toFixed(1)} a second); create p50 ${ms(percentile(createMs, 50))}, p99 ${ms(percentile(createMs, 99))}`,
  );
  row("errors by step and code", errors.size === 0 ? "none" : [...errors].map(([key, count]) => `${key} × ${count}`).join("; "));
  row(
    "created consultations whole afterwards (GET reads back, failed joins succeed)",
    `${whole} of ${made.length}${broken.size ? ` (${[...broken].map(([k, n]) => `${k} × ${n}`).join("; ")})` : ""}`,
    verdict(whole === made.length, "all: nothing half-created"),
  );
}

// ---------------------------------------------------------------------------

let exitCode = 0;
try {
  progress(`starting Samtale and the floor under wrangler dev (budget ${BUDGET_SECONDS} s)`);
  const [samtale, floor] = await Promise.all([
    freePort().then((port) => startWrangler("wrangler.toml", port, { DEV_AUTH: "1", DATA_JURISDICTION: "none" })),
    freePort().then((port) => startWrangler("test/bench/floor/wrangler.toml", port)),
  ]);
  services.push(samtale, floor);
  const pairs = await idlePhase(samtale);
  await signallingPhase(pairs, floor);
  await createsPhase(samtale);
  for (const side of sides(pairs)) side.close();
  printTable();
} catch (error) {
  notes.push(`The run failed during ${phase}: ${error instanceof Error ? error.message : String(error)}`);
  printTable();
  exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await stopAll();
}
process.exit(exitCode);
