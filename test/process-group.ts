/**
 * The services the end-to-end tests and the benchmarks run (`wrangler dev`,
 * coturn, PeerServer), each started in its own process group so that it can
 * be stopped, or killed outright, with everything it started.
 */
import { spawn, type ChildProcess } from "node:child_process";

/** Output kept per process: the start-up and the latest lines, never a long run's whole log. */
const KEPT_OUTPUT_CHARS = 200_000;

/**
 * Starts `command` detached (its own process group) and resolves `started`
 * once its output matches `ready`; rejects if it exits or takes longer than
 * `timeoutMs`, with the end of what it printed. `env` adds to this process's
 * environment.
 */
export function startProcess(what: string, command: string, args: string[], ready: RegExp, timeoutMs: number, env: Record<string, string> = {}) {
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true", ...env } });
  let output = "";
  const started = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${output.slice(-3000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-KEPT_OUTPUT_CHARS);
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

/** Kills a process group outright (`SIGKILL`: no goodbye to anyone), as a crash would. */
export async function killProcessGroup(child: ChildProcess): Promise<void> {
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
 * Stops a process group: SIGTERM to the group, SIGKILL after 5 s if it is
 * still there.
 */
export async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5000);
  await exited;
  clearTimeout(timer);
}
