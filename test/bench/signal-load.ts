/**
 * Signaling traffic over connected pairs, timed one way: every payload
 * carries the time it was sent, and the receiver (the same process, the same
 * clock) notes how long it took. Lost = sent − received once the relay has
 * had DRAIN_MS to deliver what is still under way.
 */
import type { Pair, Side, SignalPayload } from "./relay-clients.ts";

/** Wire sizes a WebRTC peer sends: one SDP offer or answer, then ICE candidates. */
const FIRST_FRAME_BYTES = 2000;
const LATER_FRAME_BYTES = 300;
/** Roughly what the frame adds around the padding (type, ids, run, times). */
const FRAME_OVERHEAD_BYTES = 120;
const DRAIN_MS = 5000;
const QUIET_MS = 1000;

export interface Delivery {
  sent: number;
  received: number;
  refused: number;
  /** One-way latencies of the delivered payloads, ms. */
  latencies: number[];
}

const padding = (bytes: number) => "x".repeat(bytes - FRAME_OVERHEAD_BYTES);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts counting what reaches `side` for the measurement `run`. */
function listen(side: Side, run: string, delivery: Delivery): void {
  side.onSignal = (payload) => {
    if (payload.run !== run) return;
    delivery.received += 1;
    delivery.latencies.push(performance.now() - payload.sentAt);
  };
}

/** Waits for the rest, then stops counting: what comes later is lost. */
async function drain(delivery: Delivery, receivers: Side[]): Promise<void> {
  const deadline = performance.now() + DRAIN_MS;
  while (delivery.received < delivery.sent && performance.now() < deadline) await sleep(20);
  for (const side of receivers) side.onSignal = () => {};
}

/**
 * Waits until nothing has arrived at any side for QUIET_MS (at most
 * `maxMs`), so that a relay still working off an earlier measurement's
 * backlog does not burden the next one. Returns how many payloads arrived
 * meanwhile: sent earlier, counted as lost there, delivered after all.
 */
export async function settle(pairs: Pair[], maxMs: number): Promise<number> {
  let late = 0;
  let lastAt = performance.now();
  const sides = pairs.flatMap(({ a, b }) => [a, b]);
  for (const side of sides) side.onSignal = () => ((late += 1), (lastAt = performance.now()));
  const deadline = performance.now() + maxMs;
  while (performance.now() - lastAt < QUIET_MS && performance.now() < deadline) await sleep(50);
  for (const side of sides) side.onSignal = () => {};
  return late;
}

/**
 * Both sides of every pair send `perSecond` payloads a second for `seconds`,
 * each side starting at a random moment within the first interval (real
 * calls do not tick in step).
 */
export async function steadyLoad(pairs: Pair[], perSecond: number, seconds: number): Promise<Delivery> {
  const run = crypto.randomUUID();
  const delivery: Delivery = { sent: 0, received: 0, refused: 0, latencies: [] };
  const refusedBefore = pairs.reduce((sum, p) => sum + p.a.refused + p.b.refused, 0);
  const intervalMs = 1000 / perSecond;
  const count = Math.round(perSecond * seconds);
  const senders = pairs.flatMap(({ a, b }) => [a, b]).map(async (side) => {
    const other = pairs.find((p) => p.a === side || p.b === side)!;
    listen(other.a === side ? other.b : other.a, run, delivery);
    await sleep(Math.random() * intervalMs);
    const started = performance.now();
    for (let seq = 0; seq < count; seq++) {
      const payload: SignalPayload = { run, seq, sentAt: performance.now(), pad: padding(seq === 0 ? FIRST_FRAME_BYTES : LATER_FRAME_BYTES) };
      side.send(payload);
      delivery.sent += 1;
      // Keep to the schedule, not to the loop: a late tick does not push the rest back.
      await sleep(Math.max(0, started + (seq + 1) * intervalMs - performance.now()));
    }
  });
  await Promise.all(senders);
  await drain(
    delivery,
    pairs.flatMap(({ a, b }) => [a, b]),
  );
  delivery.refused = pairs.reduce((sum, p) => sum + p.a.refused + p.b.refused, 0) - refusedBefore;
  return delivery;
}

/** `count` payloads from a to b back to back: ms from the first sent to the last delivered. */
export async function burst(pair: Pair, count: number): Promise<{ ms: number; lost: number }> {
  const run = crypto.randomUUID();
  const delivery: Delivery = { sent: 0, received: 0, refused: 0, latencies: [] };
  let lastAt = 0;
  pair.b.onSignal = (payload) => {
    if (payload.run !== run) return;
    delivery.received += 1;
    lastAt = performance.now();
  };
  const pad = padding(LATER_FRAME_BYTES);
  const started = performance.now();
  for (let seq = 0; seq < count; seq++) {
    pair.a.send({ run, seq, sentAt: performance.now(), pad });
    delivery.sent += 1;
  }
  await drain(delivery, [pair.b]);
  return { ms: lastAt - started, lost: delivery.sent - delivery.received };
}
