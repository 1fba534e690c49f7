// Whether `lectern adopt --write` may touch files without losing work: in a git work tree, every file it
// would write must be committed as it is (no change, staged or not, not untracked, and not ignored: git keeps
// no copy of an ignored file), so `git diff` shows exactly what adopt did and `git checkout` undoes it.
import { execFile } from "node:child_process";
import path from "node:path";

const run = (args: string[], cwd: string, env: Record<string, string | undefined>) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: { PATH: env.PATH ?? "", HOME: env.HOME ?? "", LANG: "C" } as unknown as NodeJS.ProcessEnv,
        encoding: "utf8",
        timeout: 30_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr }),
    );
  });

export type GitCheck = { dirty: string[]; ignored: string[] } | { notChecked: string } | { notARepository: true };

/** The files among `files` (absolute) with uncommitted changes, and those git ignores, or why that could not be told. */
export async function uncommitted(
  dir: string,
  files: string[],
  env: Record<string, string | undefined>,
): Promise<GitCheck> {
  const top = await run(["rev-parse", "--show-toplevel"], dir, env);
  if (top.code === -1) return { notChecked: "git is not on PATH" };
  if (top.code !== 0) {
    if (/not a git repository/i.test(top.stderr)) return { notARepository: true };
    return { notChecked: `git: ${top.stderr.trim().split("\n").at(-1) ?? "failed"}` };
  }
  if (!files.length) return { dirty: [], ignored: [] };
  const root = top.stdout.trim();
  const status = await run(
    [
      "status",
      "--porcelain=v1",
      "-z",
      "--untracked-files=all",
      "--ignored=matching",
      "--",
      ...files.map((f) => path.relative(root, f)),
    ],
    root,
    env,
  );
  if (status.code !== 0) return { notChecked: `git status: ${status.stderr.trim().split("\n").at(-1) ?? "failed"}` };
  const dirty: string[] = [];
  const ignored: string[] = [];
  const entries = status.stdout.split("\0").filter(Boolean);
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    (e.startsWith("!!") ? ignored : dirty).push(path.join(root, e.slice(3)));
    if (e[0] === "R" || e[0] === "C") i++; // a rename names its source next
  }
  return { dirty, ignored };
}
