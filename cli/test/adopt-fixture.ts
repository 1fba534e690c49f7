// The adopt fixture application, shared by the unit tests (finder, rewriter, type-check, Lectern down)
// and the api test (Lectern up): copy it, type-check it against stub SDK declarations, and load its
// modules with the SDK stubs and Lectern's own SDK source in place of packages it does not have.
import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ts from "typescript";

export const repoRoot = path.resolve(import.meta.dirname, "../..");
export const fixtureApp = path.join(repoRoot, "cli/test/fixtures/adopt-app");
const stubs = path.join(repoRoot, "cli/test/fixtures/adopt-stubs");
const sdkEntry = path.join(repoRoot, "sdk/src/index.ts");

/** Whether this machine has python3 (the Python fixture's tests need it). */
export const hasPython = (() => {
  try {
    execFileSync("python3", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
export const fixturePy = path.join(repoRoot, "cli/test/fixtures/adopt-py");

/** A fresh copy of the fixture application (or the Python one) in a temp directory. */
export function copyApp(from = fixtureApp): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lectern-adopt-"));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/** What the Python fixture's functions send the model (its run.py), with Lectern at `lecternUrl` (unset: none). */
export async function pythonSent(dir: string, lecternUrl: string | undefined, runtimeKey: string | undefined) {
  const { stdout } = await promisify(execFile)("python3", [path.join(dir, "run.py"), dir], {
    env: {
      PATH: process.env.PATH ?? "",
      PYTHONPATH: path.join(repoRoot, "sdk-python/src"),
      ...(lecternUrl ? { LECTERN_BASE_URL: lecternUrl } : {}),
      ...(runtimeKey ? { LECTERN_RUNTIME_KEY: runtimeKey } : {}),
    } as unknown as NodeJS.ProcessEnv,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as unknown;
}

export const sourcesOf = (dir: string, ext = ".mts") =>
  readdirSync(path.join(dir, "src"))
    .filter((f) => f.endsWith(ext))
    .map((f) => path.join(dir, "src", f));

/** tsc's diagnostics for the app, strict, with the SDK stubs and Lectern's SDK in place of packages. */
export function typecheck(files: string[]): string[] {
  const options: ts.CompilerOptions = {
    strict: true,
    noUncheckedIndexedAccess: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2023.d.ts", "lib.dom.d.ts"],
    types: ["node"],
    typeRoots: [path.join(repoRoot, "node_modules/@types")],
    paths: {
      "@lectern/sdk": [sdkEntry],
      openai: [path.join(stubs, "openai/index.d.ts")],
      ai: [path.join(stubs, "ai/index.d.ts")],
    },
  };
  const program = ts.createProgram(files, options);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || !d.file.fileName.startsWith(path.join(repoRoot, "sdk")))
    .map((d) => {
      const where = d.file
        ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: `
        : "";
      return where + ts.flattenDiagnosticMessageText(d.messageText, "\n");
    });
}

/**
 * A copy of an app file that a test can import: the same code with its package imports pointed at the
 * stubs and at the SDK's source (the temp directory has no node_modules).
 */
export function importable(file: string, tag = "run"): string {
  const text = readFileSync(file, "utf8")
    .replace(/from "@lectern\/sdk"/g, `from ${JSON.stringify(sdkEntry)}`)
    .replace(/from "openai"/g, `from ${JSON.stringify(path.join(stubs, "openai/index.js"))}`)
    .replace(/from "ai"/g, `from ${JSON.stringify(path.join(stubs, "ai/index.js"))}`);
  const out = file.replace(/\.mts$/, `.${tag}.mts`);
  writeFileSync(out, text);
  return out;
}

type Echo = Promise<{ request: unknown }>;
interface SupportModule {
  reply(client: never, customer: { name: string; plan: "free" | "pro" }, question: string, maxWords: number): Echo;
  triage(client: never, ticket: string, tags: string[]): Echo;
}
interface SummarizeModule {
  summarize(doc: { title: string; body: string }, urgent: boolean): Echo;
  followUp(history: { role: "user"; content: string }[], topic: string): Echo;
}

/** What the fixture's functions send to the model, for the same inputs. */
export async function requests(dir: string, tag = "run"): Promise<unknown[]> {
  const support = (await import(importable(path.join(dir, "src/support.mts"), tag))) as SupportModule;
  const summarize = (await import(importable(path.join(dir, "src/summarize.mts"), tag))) as SummarizeModule;
  const { default: OpenAI } = (await import(path.join(stubs, "openai/index.js"))) as { default: new () => never };
  const client = new OpenAI();
  return [
    (await support.reply(client, { name: "Ada", plan: "pro" }, "Where is my order?", 80)).request,
    (await support.triage(client, "It crashed", ["bug", "urgent"])).request,
    (await summarize.summarize({ title: "Q3", body: "Sales rose." }, true)).request,
    (await summarize.followUp([{ role: "user", content: "And Q4?" }], "sales")).request,
  ];
}
