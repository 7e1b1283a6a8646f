/**
 * Stops a process started `detached` (its own process group) and everything
 * it started: SIGTERM to the group, SIGKILL after 5 s if it is still there.
 * Shared by the end-to-end tests' services and the benchmark's relays.
 */
import type { ChildProcess } from "node:child_process";

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
