// npm run bench:newcomer [-- --here] [--keep] [--port N]
//
// A newcomer's first minutes, as the README has them: a fresh clone of this checkout's HEAD, `npm install`,
// `npm run dev`, then Chromium signing in with the admin account the first start prints and opening each main
// page twice. It prints each time beside its bound, the load average beside the run (the machine
// may be shared), and how long the whole thing takes to stop when only the `npm` process gets SIGINT, as an
// IDE sends it. Numbers are printed, never asserted: docs/benchmarks.md keeps the dated runs.
//
// --here runs in this folder instead (--dir DIR: in that one) (no clone, no install; its .next/dev cache and .data stay as they are):
// for trying a change quickly, not for the numbers. --keep leaves the clone behind.
import { execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import net from "node:net";

const { values: args } = parseArgs({
  options: {
    here: { type: "boolean", default: false },
    dir: { type: "string" },
    keep: { type: "boolean", default: false },
    port: { type: "string" },
    chromium: { type: "string" },
  },
});

const BOUNDS = { signedIn: 60, first: 5, again: 1.5, stop: 5 };
const root = path.resolve(import.meta.dirname, "..");
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const mark = (s: number, bound: number) => (s <= bound ? "ok" : `OVER ${bound} s`);

function chromiumPath(): string {
  const found = [args.chromium, "/usr/lib/chromium/chromium-headless-shell", "/usr/bin/chromium"].find(
    (p) => p && existsSync(p),
  );
  if (!found) throw new Error("no Chromium: install Debian's chromium-headless-shell or chromium, or pass --chromium");
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Runs a command to its end, its output into `log`; resolves with its wall time in ms. */
function run(cmd: string, argv: string[], cwd: string, log: string, env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  const out = createWriteStream(log);
  const child = spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return new Promise((resolve, reject) =>
    child.on("exit", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`${cmd} ${argv.join(" ")} failed: see ${log}`)),
    ),
  );
}

/** A newcomer's shell: none of this machine's Lectern settings (a database, Redis, test modes). */
function newcomerEnv(port: number): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(LECTERN_|DATABASE_|REDIS_|NEXTAUTH_|TEST_|NODE_ENV$|HOST$|PORT$|npm_|INIT_CWD$|VITEST)/.test(k)) env[k] = v;
  env.PORT = String(port);
  // The development server says when each page's background compile ended (printed beside the visits).
  env.LECTERN_DEV_PREWARM_TRACE = "1";
  return env as NodeJS.ProcessEnv;
}

/** Every live process below `pid` (and itself), from /proc; zombies count as ended. */
function processTree(pid: number): number[] {
  const table = new Map<number, { ppid: number; state: string }>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(name), { ppid: Number(ppid), state: state! });
    } catch {
      // ended meanwhile
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++)
    for (const [p, s] of table) if (s.ppid === out[i] && !out.includes(p)) out.push(p);
  return out.filter((p) => table.has(p) && table.get(p)!.state !== "Z");
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");
  } catch {
    return false;
  }
};

/** Opens a page and waits until React has hydrated it (components/hydration-mark.tsx); its time in s. */
async function visit(page: Page, url: string): Promise<number> {
  const started = performance.now();
  await page.goto(url, { timeout: 180_000 });
  await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 180_000 });
  return (performance.now() - started) / 1000;
}

async function main() {
  if (args.dir) args.here = true;
  const browserPath = chromiumPath();
  const port = Number(args.port) || (await freePort());
  let dir = args.dir ? path.resolve(args.dir) : root;
  const commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: dir, encoding: "utf8" }).trim();
  const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: dir, encoding: "utf8" });
  console.log(`newcomer bench, ${new Date().toISOString()}: ${commit}${args.here ? ` (in ${dir}, as it is)` : ""}`);
  console.log(`machine: ${cpus().length} cores, Node ${process.version}; load average ${load()} (1, 5, 15 min)`);
  if (dirty && !args.here) console.log("note: uncommitted changes are not in the clone; the bench measures HEAD");

  const scratch = mkdtempSync(path.join(tmpdir(), "lectern-newcomer-"));
  const env = newcomerEnv(port);
  // Here, a database of its own, so the first start prints the admin account as on a fresh clone.
  if (args.here) env.LECTERN_DATA_DIR = path.join(scratch, "data");
  else {
    dir = path.join(scratch, "lectern");
    execFileSync("git", ["clone", "--quiet", root, dir]);
    execFileSync("git", ["checkout", "--quiet", "--detach", commit], { cwd: dir });
    const installMs = await run("npm", ["install"], dir, path.join(scratch, "npm-install.log"), env);
    console.log(`npm install: ${seconds(installMs)} s (load ${load()})`);
  }

  const browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
  const started = performance.now();
  const since = () => (performance.now() - started) / 1000;
  let output = "";
  // In a process group of its own, as a terminal runs a job; stopped below through the npm process alone.
  const dev = spawn("npm", ["run", "dev"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  const logFile = createWriteStream(path.join(scratch, "dev.log"));
  // When the development log said what it says on the way (printed with the results).
  const milestones: [string, RegExp, number?][] = [
    ["the database ready (migrated, demo seeded)", /database ready/],
    ["the address printed", /\[lectern\] open /],
    ["every main page compiled in the background", /every main page compiled/],
  ];
  for (const s of [dev.stdout, dev.stderr])
    s.on("data", (d: Buffer) => {
      output += d;
      logFile.write(d);
      for (const m of milestones) if (m[2] === undefined && m[1].test(output)) m[2] = since();
      for (const m of String(d).matchAll(/\[lectern\] compiled (\S+) /g)) compiledAt.set(m[1]!, since());
    });
  const seen = new Set<number>();
  const watch = setInterval(() => processTree(dev.pid!).forEach((p) => seen.add(p)), 250);
  const results: { name: string; first?: number; again?: number; error?: string; at?: number }[] = [];
  const compiledAt = new Map<string, number>();
  let credentials: { email: string; password: string } | undefined;

  try {
    const base = `http://localhost:${port}`;
    while (!output.includes(`open ${base}`)) {
      if (dev.exitCode !== null) throw new Error(`npm run dev ended:\n${output}`);
      if (since() > 300) throw new Error(`npm run dev did not say where to open it in 300 s:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const printed = /Lectern admin created: (\S+) \/ (\S+)/.exec(output);
    credentials = printed ? { email: printed[1]!, password: printed[2]! } : undefined;
    if (!credentials) throw new Error(`no admin account printed (a data directory from before?):\n${output}`);

    const page = await (await browser.newContext()).newPage();
    const login = await visit(page, `${base}/login`);
    await page.getByLabel("Email").fill(credentials.email);
    await page.getByLabel("Password").fill(credentials.password);
    const submitted = performance.now();
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/prompts$/, { timeout: 180_000 });
    await page.locator("html[data-hydrated]").waitFor({ state: "attached", timeout: 180_000 });
    const signIn = (performance.now() - submitted) / 1000;
    const signedIn = since();
    const project = new URL(page.url()).pathname.split("/")[1]!;
    await page.goto(`${base}/${project}/experiments`, { timeout: 180_000 });
    const experiment = await page
      .locator(`a[href^="/${project}/experiments/"]:not([href$="/new"])`)
      .first()
      .getAttribute("href", { timeout: 180_000 });

    const pages: [string, string][] = [
      ["prompts", `/${project}/prompts`],
      ["a prompt (support-reply)", `/${project}/prompts/support-reply`],
      ["its editor", `/${project}/edit/support-reply`],
      ["experiments", `/${project}/experiments`],
      ["an experiment", experiment!],
      ["evaluations", `/${project}/evaluations`],
      ["datasets", `/${project}/datasets`],
      ["reviews", `/${project}/reviews`],
      ["alerts", `/${project}/alerts`],
      ["activity", `/${project}/activity`],
      ["settings", `/${project}/settings`],
    ];
    // Every first visit, then every second one, as someone looking around and then coming back would.
    for (const round of ["first", "again"] as const)
      for (const [name, url] of pages) {
        let r = results.find((x) => x.name === name);
        if (!r) results.push((r = { name }));
        if (r.error) continue;
        try {
          if (round === "first") r.at = since();
          r[round] = await visit(page, base + url);
        } catch (e) {
          r.error = (e as Error).message.split("\n")[0];
        }
      }

    console.log(`\nfrom \`npm run dev\` (load ${load()}):`);
    for (const [what, , at] of milestones.slice(0, 2))
      if (at !== undefined) console.log(`  ${what.padEnd(42)} ${at.toFixed(1).padStart(6)} s`);
    console.log(`  ${"the sign-in page (its load)".padEnd(42)} ${login.toFixed(1).padStart(6)} s`);
    console.log(`  ${"signing in (its wait)".padEnd(42)} ${signIn.toFixed(1).padStart(6)} s`);
    console.log(
      `  ${"to the prompt library, signed in".padEnd(42)} ${signedIn.toFixed(1).padStart(6)} s   ${mark(signedIn, BOUNDS.signedIn)}`,
    );
    const compiled = milestones[2]![2];
    if (compiled !== undefined) console.log(`  ${milestones[2]![0].padEnd(42)} ${compiled.toFixed(1).padStart(6)} s`);
    // The server's own CPU time by then (compiling, seeding, serving): less bound to the machine's load than the
    // times above.
    const cpu = /CPU time of this process so far: ([\d.]+) s/.exec(output)?.[1];
    if (cpu) console.log(`  ${"  the server's CPU time by then".padEnd(42)} ${cpu.padStart(6)} s`);
    console.log(`\n  page                        first visit          next visit`);
    for (const r of results) {
      if (r.error) {
        console.log(`  ${r.name.padEnd(26)}  failed: ${r.error}`);
        continue;
      }
      const first = `${r.first!.toFixed(1).padStart(5)} s ${mark(r.first!, BOUNDS.first)}`;
      const again = `${r.again!.toFixed(2).padStart(5)} s ${mark(r.again!, BOUNDS.again)}`;
      console.log(`  ${r.name.padEnd(26)}  ${first.padEnd(19)}  ${again}`);
    }
    // Whether a slow first visit waited for its page's compile: when each was opened, when each compile ended.
    console.log(`\n  first visits opened at: ${results.map((r) => `${r.name} ${r.at?.toFixed(1)} s`).join(", ")}`);
    console.log(
      `  background compiles ended at: ${[...compiledAt].map(([p, t]) => `${p} ${t.toFixed(1)} s`).join(", ")}`,
    );
  } finally {
    clearInterval(watch);
    await browser.close();
    processTree(dev.pid!).forEach((p) => seen.add(p));
    // What an IDE or a supervisor does: SIGINT to the npm process alone, not its group.
    const signalled = performance.now();
    if (dev.exitCode === null) dev.kill("SIGINT");
    while ([...seen].some(alive) && performance.now() - signalled < 30_000) await new Promise((r) => setTimeout(r, 50));
    const left = [...seen].filter(alive);
    const stopS = (performance.now() - signalled) / 1000;
    console.log(
      left.length
        ? `\nSIGINT to npm alone: ${left.length} process(es) still running after 30 s (${left.join(", ")}); killed`
        : `\nSIGINT to npm alone: all ${seen.size} processes ended in ${stopS.toFixed(1)} s   ${mark(stopS, BOUNDS.stop)}`,
    );
    left.forEach((p) => process.kill(p, "SIGKILL"));
    console.log(`load average at the end: ${load()}`);
    if (!args.keep) rmSync(scratch, { recursive: true, force: true });
    else console.log(`kept: ${scratch}`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
