// Shared by the profiling benches (profile-resolve.ts, profile-stages.ts): their command-line options, the shape of a
// V8 CPU profile (`node --cpu-prof`), reading one process's profile, and removing the profiles after the run.
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The value after `name` on the command line, or `dflt`. */
export const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1]!;
};

export type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
export type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number };

/** A frame as the reports name it: the function, with its file and line when it has one. */
export const frameName = (n: Node) => {
  const f = n.callFrame;
  const file = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : "";
  return `${f.functionName || "(anonymous)"}${file ? ` ${file}` : ""}`;
};

/** The samples between `from` and `to` µs before the profile's end: each one's leaf node and its µs. */
export function* samplesIn(p: Profile, from: number, to: number): Generator<[Node, number]> {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const us = p.timeDeltas[i] ?? 0;
    t += us;
    if (t < p.endTime - from || t > p.endTime - to) continue;
    yield [byId.get(p.samples[i]!)!, us];
  }
}

/** The profile process `pid` wrote in `dir` as it exited. */
export function readProfile(dir: string, pid: number | undefined): Profile {
  const file = readdirSync(dir).find((f) => f.includes(`.${pid}.`) && f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile of ${pid} in ${dir}: ${readdirSync(dir).join(", ")}`);
  return JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Profile;
}

/** Removes the run's profiles, or with --keep says where they are. */
export function dropProfiles(dir: string) {
  if (!process.argv.includes("--keep")) rmSync(dir, { recursive: true, force: true });
  else console.log(`profiles kept in ${dir}`);
}

/** Writes the report as JSON to `out` (--out), if one was named. */
export function writeReport(out: string, report: unknown) {
  if (out) writeFileSync(out, JSON.stringify(report, null, 2));
}
