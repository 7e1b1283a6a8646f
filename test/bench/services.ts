/**
 * The three relays the benchmark measures, each in its own process group so
 * that none shares an event loop (or a CPU queue position) with the load
 * generator: Samtale and the floor under the same `wrangler dev`, and the
 * `peer` package's PeerServer under Node. All on loopback, all stopped with
 * their whole process group.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startProcess, stopProcessGroup } from "../process-group.ts";

export interface Service {
  origin: string;
  /** The process group leader: its tree holds the runtime (process-usage.ts reads it). */
  pid: number;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` with a given config on a fresh persisted state, without its
 * local trace collector. That collector (on by default in `wrangler dev`,
 * absent from a deployment) writes the spans of every invocation into one
 * SQLite-backed object on the runtime's own thread; left on, it doubled
 * Samtale's burst once 200 consultations had been set up before it (README
 * "Benchmarks"). Off for both relays alike, the runtime is what remains.
 */
export async function startWrangler(config: string, port: number, vars: Record<string, string> = {}): Promise<Service> {
  const persist = mkdtempSync(join(tmpdir(), "samtale-bench-"));
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const { child, started } = startProcess(
    `wrangler dev (${config})`,
    join(process.cwd(), "node_modules/.bin/wrangler"),
    ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, ...varArgs],
    /Ready on http/,
    120_000,
    { X_LOCAL_OBSERVABILITY: "false" },
  );
  await started;
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopProcessGroup(child) };
}

export async function startPeerServer(port: number): Promise<Service> {
  const { child, started } = startProcess("PeerServer", process.execPath, ["test/bench/peer-server.ts", String(port)], /PeerServer ready/, 30_000);
  await started;
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopProcessGroup(child) };
}
