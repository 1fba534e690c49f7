// Runs one of the SDK tests' child scripts (test/exit-child.ts, test/exit-track-child.ts) in a Node process of its own,
// from the repository's root, and collects what it printed.
import { spawn } from "node:child_process";
import path from "node:path";

/** Runs test/`script` with `args` to its end; a hang is killed after `timeoutMs` and reports code null. */
export async function runChild(
  script: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; out: string }> {
  const c = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, script), ...args], {
    cwd: path.join(import.meta.dirname, "../.."),
  });
  let out = "";
  c.stdout.on("data", (d: Buffer) => (out += d.toString()));
  c.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      c.kill();
      resolve(null);
    }, timeoutMs);
    c.on("exit", (n) => {
      clearTimeout(timer);
      resolve(n);
    });
  });
  return { code, out };
}
