/**
 * The three relays the benchmark measures, each in its own process group so
 * that none shares an event loop (or a CPU queue position) with the load
 * generator: Samtale and the floor under the same `wrangler dev`, and the
 * `peer` package's PeerServer under Node. All on loopback, all stopped with
 * their whole process group.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stopProcessGroup } from "../process-group.ts";

export interface Service {
  origin: string;
  /** The process group leader: its tree holds the runtime (cpu-memory.ts reads it). */
  pid: number;
  stop(): Promise<void>;
}

async function startProcess(what: string, command: string, args: string[], ready: RegExp, timeoutMs: number) {
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      // Only the start-up output is kept: a long run's request log is not.
      if (output.length < 100_000) output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
  return child;
}


/** `wrangler dev` with a given config on a fresh persisted state. */
export async function startWrangler(config: string, port: number, vars: Record<string, string> = {}): Promise<Service> {
  const persist = mkdtempSync(join(tmpdir(), "samtale-bench-"));
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const child = await startProcess(
    `wrangler dev (${config})`,
    join(process.cwd(), "node_modules/.bin/wrangler"),
    ["dev", "--config", config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, ...varArgs],
    /Ready on http/,
    120_000,
  );
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopProcessGroup(child) };
}

export async function startPeerServer(port: number): Promise<Service> {
  const child = await startProcess("PeerServer", process.execPath, ["test/bench/peer-server.ts", String(port)], /PeerServer ready/, 30_000);
  return { origin: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopProcessGroup(child) };
}
