// The Python finder: python3 (when it is on PATH) parses each file with its standard library's ast, in a
// child process with a timeout and isolated mode (-I: no PYTHON* variables, no user site-packages).
import { spawn } from "node:child_process";
import path from "node:path";
import type { FindResult } from "./model";
import { pyScript } from "./py-script";

export const pythonTimeoutMs = 60_000;
const maxOutput = 64 * 1024 * 1024;

export class PythonUnavailable extends Error {}

/** Runs the script with a JSON request on stdin; its JSON answer, or PythonUnavailable. */
export function runPython<T>(request: unknown, env: Record<string, string | undefined>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(env.LECTERN_PYTHON ?? "python3", ["-I", "-c", pyScript], {
      env: { PATH: env.PATH ?? "", LANG: "C.UTF-8", PYTHONIOENCODING: "utf-8" } as unknown as NodeJS.ProcessEnv,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: pythonTimeoutMs,
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (out.length > maxOutput) child.kill();
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => void (err = (err + d).slice(-2000)));
    child.on("error", (e: NodeJS.ErrnoException) =>
      reject(
        new PythonUnavailable(e.code === "ENOENT" ? "python3 is not on PATH" : `python3 failed to start: ${e.message}`),
      ),
    );
    child.on("close", (code, signal) => {
      if (signal)
        return reject(
          new PythonUnavailable(`python3 was stopped (${signal}) after ${pythonTimeoutMs / 1000} s or too much output`),
        );
      if (code !== 0)
        return reject(new PythonUnavailable(`python3 failed (exit ${code}): ${err.trim().split("\n").at(-1) ?? ""}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new PythonUnavailable("python3 answered something that is not JSON"));
      }
    });
    child.stdin.on("error", () => undefined);
    child.stdin.end(JSON.stringify(request));
  });
}

export async function findInPython(
  root: string,
  files: string[],
  env: Record<string, string | undefined>,
): Promise<FindResult & { unavailable?: string }> {
  const pairs = files.map((f) => [f, path.relative(root, f).split(path.sep).join("/")]);
  try {
    return await runPython<FindResult>({ mode: "find", files: pairs }, env);
  } catch (e) {
    if (e instanceof PythonUnavailable) return { found: [], leftAlone: [], skipped: [], unavailable: e.message };
    throw e;
  }
}
