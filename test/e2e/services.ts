/**
 * The real parts the end-to-end tests run against: `wrangler dev` (workerd
 * with the worker and its Durable Objects), coturn, and a partner's page on
 * another origin. Each starts on a free loopback port and stops with its
 * whole process group.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stopProcessGroup } from "../process-group.ts";

export const TURN_SECRET = "e2e-turn-secret";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  stop(): Promise<void>;
}

/** A service a fault test can kill outright (`SIGKILL`, no goodbye to anyone), to start it again on the same port. */
export interface Killable extends Running {
  kill(): Promise<void>;
}

/** Starts `command` in its own process group and resolves `started` once its output matches `ready`. */
export function startProcess(command: string, args: string[], ready: RegExp, what: string, timeoutMs = 60_000) {
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let output = "";
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
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
  return { child, started, output: () => output };
}

async function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    return;
  }
  await exited;
}


/**
 * coturn with the shipped hardened configuration (deploy/turnserver.conf),
 * and only what a test on one machine must change on top: loopback
 * addresses and free ports, no TLS (no certificate here), the test's
 * secret, logs on stdout. Every peer address is denied except 127.0.0.1:
 * nothing but loopback can be relayed to, and the relay test shows the
 * hardened file still carries a call.
 */
export async function startCoturn(port: number): Promise<Killable> {
  const { child, started } = startProcess(
    "turnserver",
    [
      "-c",
      join(process.cwd(), "deploy/turnserver.conf"),
      "--listening-ip=127.0.0.1",
      "--relay-ip=127.0.0.1",
      `--listening-port=${port}`,
      `--min-port=${port + 1}`,
      `--max-port=${port + 200}`,
      "--realm=samtale",
      `--static-auth-secret=${TURN_SECRET}`,
      "--no-tls",
      "--no-dtls",
      "--log-file=stdout",
      // Whoever runs the tests, not the service account of a real install
      // (coturn exits when it cannot switch to it).
      `--proc-user=${execFileSync("id", ["-un"], { encoding: "utf8" }).trim()}`,
      `--proc-group=${execFileSync("id", ["-gn"], { encoding: "utf8" }).trim()}`,
      `--pidfile=${join(tmpdir(), `samtale-coturn-${port}.pid`)}`,
      "--denied-peer-ip=0.0.0.0-255.255.255.255",
      "--denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
      "--allow-loopback-peers",
      "--allowed-peer-ip=127.0.0.1",
    ],
    /listener opened on|Total General servers|IPv4. UDP listener opened/i,
    "coturn",
    15_000,
  );
  await started;
  return { stop: () => stopProcessGroup(child), kill: () => killProcess(child) };
}

/**
 * `wrangler dev` with the demo issuer on, as `npm start` runs it. Started
 * again with the same `persistTo` (and port), it finds the consultations of
 * before, as a restarted runtime would.
 */
export async function startWorker(
  port: number,
  vars: Record<string, string>,
  persistTo?: string,
): Promise<Killable & { logs: () => string; persistTo: string }> {
  const persist = persistTo ?? mkdtempSync(join(tmpdir(), "samtale-e2e-"));
  const varArgs = Object.entries(vars).flatMap(([key, value]) => ["--var", `${key}:${value}`]);
  const { child, started, output } = startProcess(
    join(process.cwd(), "node_modules/.bin/wrangler"),
    ["dev", "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persist, "--log-level", "info", ...varArgs],
    /Ready on http/,
    "wrangler dev",
    90_000,
  );
  await started;
  return { stop: () => stopProcessGroup(child), kill: () => killProcess(child), logs: output, persistTo: persist };
}

/**
 * A partner's page on another origin that embeds the element with one
 * script tag from the worker, the way the README tells partners to.
 */
export async function startPartnerSite(port: number, workerOrigin: string): Promise<Running> {
  const page = readFileSync(new URL("./partner-page.html", import.meta.url), "utf8").replaceAll("{{WORKER}}", workerOrigin);
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith("/partner")) {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(page);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
