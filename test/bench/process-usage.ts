/**
 * What a process tree costs the machine, read from Linux's /proc: the CPU
 * time its live processes have used (user + system) and the resident memory
 * of the ones named `workerd` (the runtime that holds the Durable Objects;
 * wrangler's own Node process around it is not the relay).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  /** utime + stime, in seconds. */
  cpuSeconds: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The name sits in parentheses and may hold spaces: read the rest after the last one.
    const name = text.slice(text.indexOf("(") + 1, text.lastIndexOf(")"));
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    // After the name: state, ppid, … utime is the 14th field of the line, stime the 15th.
    return { pid, ppid: Number(fields[1]), name, cpuSeconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND };
  } catch {
    return undefined; // it exited while we looked
  }
}

/** `root` and every live descendant. */
function tree(root: number): ProcStat[] {
  const all = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readStat(Number(entry)))
    .filter((stat): stat is ProcStat => stat !== undefined);
  const inTree = new Set([root]);
  // Parents come before children in pid order only usually: repeat until nothing is added.
  for (let added = true; added; ) {
    added = false;
    for (const stat of all) {
      if (!inTree.has(stat.pid) && inTree.has(stat.ppid)) (inTree.add(stat.pid), (added = true));
    }
  }
  return all.filter((stat) => inTree.has(stat.pid));
}

/** CPU seconds used so far by the live processes of `root`'s tree. */
export function cpuSeconds(root: number): number {
  return tree(root).reduce((sum, stat) => sum + stat.cpuSeconds, 0);
}

/** Resident memory of the tree's `workerd` processes, bytes. */
export function runtimeRssBytes(root: number): number {
  let total = 0;
  for (const stat of tree(root)) {
    if (stat.name !== "workerd") continue;
    try {
      const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${stat.pid}/status`, "utf8"));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // exited
    }
  }
  return total;
}
