// What a server uses, read from Linux /proc. An ordinary `npm start` on PostgreSQL is two processes
// (Lectern's server and its Next process: gateway/next-process.ts); `tree` readings count both.
import { readdirSync, readFileSync } from "node:fs";

const statFields = (pid: number): string[] | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
};

/** The process and its children. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (const entry of readdirSync("/proc")) {
    if (/^\d+$/.test(entry) && Number(statFields(Number(entry))?.[1]) === pid) out.push(Number(entry));
  }
  return out;
}

/** CPU time (user + system) a process has used so far, in microseconds; with `tree`, its children's too. */
export function cpuUs(pid: number | undefined, tree = false): number | null {
  if (!pid) return null;
  let total = 0;
  for (const p of tree ? processTree(pid) : [pid]) {
    const f = statFields(p);
    if (!f) return null;
    total += ((Number(f[11]) + Number(f[12])) * 1e6) / 100; // clock ticks (USER_HZ = 100)
  }
  return total;
}

/** Resident memory in MiB; with `tree`, its children's added. */
export function rssMiB(pid: number | undefined, tree = false): number {
  if (!pid) return NaN;
  let kib = 0;
  for (const p of tree ? processTree(pid) : [pid]) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // ended meanwhile
    }
  }
  return kib / 1024;
}
