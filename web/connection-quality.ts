/**
 * Turns a peer connection's `getStats()` into what a person needs to know:
 * is the media going straight between us or through a relay, how long is
 * the round trip, how much is lost.
 */

export interface ConnectionQuality {
  path: "direct" | "relayed" | "unknown";
  /** Round-trip time in milliseconds, when measured. */
  rttMs: number | null;
  /** Share of incoming packets lost, 0–100, when anything arrived. */
  lossPercent: number | null;
}

type Stat = { id: string; type: string } & Record<string, unknown>;

export function summarizeStats(stats: Iterable<Stat>): ConnectionQuality {
  const byId = new Map<string, Stat>();
  for (const stat of stats) byId.set(stat.id, stat);
  const all = [...byId.values()];

  const transport = all.find((s) => s.type === "transport" && typeof s.selectedCandidatePairId === "string");
  const pair =
    (transport && byId.get(transport.selectedCandidatePairId as string)) ??
    all.find((s) => s.type === "candidate-pair" && s.nominated === true && s.state === "succeeded");

  let path: ConnectionQuality["path"] = "unknown";
  let rttMs: number | null = null;
  if (pair) {
    const local = byId.get(pair.localCandidateId as string);
    const remote = byId.get(pair.remoteCandidateId as string);
    if (local || remote) path = local?.candidateType === "relay" || remote?.candidateType === "relay" ? "relayed" : "direct";
    if (typeof pair.currentRoundTripTime === "number") rttMs = Math.round(pair.currentRoundTripTime * 1000);
  }

  let received = 0;
  let lost = 0;
  for (const stat of all) {
    if (stat.type !== "inbound-rtp") continue;
    received += typeof stat.packetsReceived === "number" ? stat.packetsReceived : 0;
    lost += typeof stat.packetsLost === "number" ? Math.max(0, stat.packetsLost) : 0;
  }
  const lossPercent = received + lost > 0 ? Math.round((lost / (received + lost)) * 1000) / 10 : null;

  return { path, rttMs, lossPercent };
}

/** Several peers: the weakest link, since that is what someone will hear. `null` for none. */
export function weakestQuality(figures: readonly ConnectionQuality[]): ConnectionQuality | null {
  if (figures.length === 0) return null;
  return {
    path: figures.some((f) => f.path === "relayed") ? "relayed" : figures.some((f) => f.path === "direct") ? "direct" : "unknown",
    rttMs: maxOrNull(figures.map((f) => f.rttMs)),
    lossPercent: maxOrNull(figures.map((f) => f.lossPercent)),
  };
}

function maxOrNull(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
