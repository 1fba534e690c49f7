// `npm run dev`'s server (scripts/next.mjs starts it): Next's development server in this process, behind a
// node:http listener of Lectern's own, instead of `next dev`. Edits reload as under `next dev` (Turbopack,
// hot reloading over the same WebSocket); what differs, and why:
// - `next dev` forks a Node process for every request to a dynamic route (every page under [project]) to
//   work out its static paths, loading the route's whole server bundle again each time; with no
//   generateStaticParams and no cacheComponents (test/dev-server.test.ts keeps it so) the answer is always
//   empty and unused. That fork was most of what a page cost on its second visit: 1.0–1.5 CPU-seconds per
//   request, against 0.1 without it (docs/benchmarks.md, "A newcomer's first minutes").
// - Every main page is compiled in the background at start, in the order a newcomer opens them, so that
//   each one's first visit is not a compile (LECTERN_DEV_PREWARM=false turns it off).
// - Lectern itself starts in this process from a bundle of its own (esbuild, a fifth of a second), as under
//   `npm start` (gateway/main.ts): settings checked, the database migrated and seeded, the job queue started.
//   Through Turbopack (instrumentation.ts, as under `next dev`) that start waited for a compile of all of lib/
//   (9 s on two cores) and Next compiled no page until it had. Both copies share one database and queue
//   (lib/server/wiring/singleton.ts).
// - One address to open is printed, once the sign-in page answers; a client that went away mid-request is
//   not an uncaught exception with a stack.
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { openUrl } from "../lib/listen.mjs";
import { bundleServerCode } from "./server-bundle.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(root, "package.json"));

/** The pages a newcomer opens, in that order (README "A short tour"); each compiles on its first request. */
export const PREWARM = [
  "/login",
  "/api/auth/session", // next-auth's route: signing in compiles it
  "/", // where signing in lands, before it redirects to the project
  "/demo/prompts",
  "/demo/prompts/support-reply",
  "/demo/edit/support-reply",
  "/demo/experiments",
  "/demo/experiments/0",
  "/demo/evaluations",
  "/demo/datasets",
  "/demo/reviews",
  "/demo/alerts",
  "/demo/activity",
  "/demo/settings",
];

/**
 * Next's development server asks a forked worker for a dynamic route's static paths on every request
 * (DevServer.getStaticPaths, refreshed in the background after the first). Without cacheComponents the answer
 * only feeds the prerender manifest's fallbacks, which need generateStaticParams, which Lectern does not use.
 * Returns whether the method was found (a later Next may rename it; then nothing changes but speed).
 */
export function skipStaticPathsWorker(DevServer = devServerClass()) {
  const original = DevServer?.prototype?.getStaticPaths;
  if (typeof original !== "function") return false;
  DevServer.prototype.getStaticPaths = function (opts) {
    if (this.nextConfig?.cacheComponents) return original.call(this, opts);
    return Promise.resolve({ staticPaths: undefined, prerenderedRoutes: undefined, fallbackMode: undefined });
  };
  return true;
}

/** Node's error for a request whose client closed the connection before sending all of it. */
export const clientWentAway = (e) => e?.code === "ECONNRESET" && e?.message === "aborted";

/**
 * A request whose client went away while Next read its body (a server action, an upload) failed in Next with
 * Node's "aborted" error, which Next's development server logged with a stack ("⨯ Error: aborted"). It is not
 * an error of Lectern's: nothing is logged for it. Returns whether the method was found.
 */
export function quietClientAborts(DevServer = devServerClass()) {
  const original = DevServer?.prototype?.logErrorWithOriginalStack;
  if (typeof original !== "function") return false;
  DevServer.prototype.logErrorWithOriginalStack = function (err, type) {
    if (clientWentAway(err)) return;
    return original.call(this, err, type);
  };
  return true;
}

function cannotStart(e) {
  console.error(`Lectern cannot start: ${e?.stack ?? e}`);
  process.exit(1);
}

const devServerClass = () => require("next/dist/server/dev/next-dev-server").default;

export async function devServer({ host, port, prewarm }) {
  // What `next dev` sets before it loads next.config.mjs (which derives NEXTAUTH_URL from PORT).
  process.env.NODE_ENV = "development";
  process.env.PORT = String(port);
  // As next.config.mjs does, before Lectern's start reads its settings.
  process.env.NEXTAUTH_URL ||= `http://localhost:${port}`;
  const lectern = startLectern();
  lectern.catch(cannotStart);
  if (!skipStaticPathsWorker())
    console.warn("[lectern] Next's static-paths worker was not found: pages will be slower");
  quietClientAborts();
  const next = require("next");
  const app = next({ dev: true, dir: root, hostname: host, port });
  let handle;
  // No request reaches a page before Lectern's start has begun: a page that opened the database first
  // would open it without the bootstrap (lib/server/wiring/db.ts).
  const ready = Promise.all([app.prepare(), lectern]).then(() => (handle = app.getRequestHandler()));
  ready.catch(cannotStart);

  const server = http.createServer((req, res) => {
    // A browser that closes a request mid-body (a navigation away, a closed tab) is normal: without a
    // listener, Node's "aborted" error became an uncaught exception that Next logged with its stack.
    req.on("error", () => {});
    res.on("error", () => {});
    if (handle) return void handle(req, res);
    ready.then(() => handle(req, res)).catch(() => res.destroy());
  });
  // Connections a browser resets before sending a whole request: nothing to answer, nothing to report.
  server.on("clientError", (_e, socket) => socket.destroy());
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve, reject) => server.once("error", reject).listen(port, host, resolve));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close();
    server.closeAllConnections();
    // lib/server/wiring/process/startup.ts runs the shutdown hooks (the job queue hands its jobs back, the database
    // closes) on the same signal, keeping them on globalThis (lib/server/wiring/process/shutdown.ts).
    const hooks = globalThis[Symbol.for("lectern.shutdownHooks")];
    const limit = new Promise((r) => setTimeout(r, 2_500).unref());
    void Promise.race([Promise.allSettled([hooks?.running, app.close()]), limit]).finally(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, stop);

  const base = `http://${host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
  const get = (p) =>
    fetch(base + p, { redirect: "manual", signal: AbortSignal.timeout(180_000) }).then(
      (r) => r.body?.cancel().then(() => r.status),
      () => null,
    );
  const started = Date.now();
  // What signing in needs (next-auth's route, the page it lands on, the prompt library) compiles beside the
  // sign-in page, at once: Turbopack shares the work and keeps both cores busy.
  const signingIn = prewarm ? PREWARM.slice(1, 4).map(get) : [];
  // The sign-in page compiles while the database migrates and seeds (instrumentation.ts); the address is
  // printed once both are done, after the admin account the first start creates.
  while ((await get(PREWARM[0])) !== 200) {
    if (stopping || Date.now() - started > 300_000) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  await (
    await lectern
  ).started;
  const only = ["127.0.0.1", "::1", "localhost"].includes(host)
    ? " (this machine only; HOST=0.0.0.0 opens it to the network)"
    : "";
  console.log(`[lectern] open ${openUrl(host, port)}${only}`);
  if (!prewarm) return;
  await Promise.all(signingIn);
  // The rest two at a time, in the tour's order: the page a newcomer opens next is the one compiling.
  const rest = PREWARM.slice(4);
  // LECTERN_DEV_PREWARM_TRACE=1 (bench/newcomer.ts sets it): when each page's compile ended, to line up with visits.
  const trace = ["1", "true", "yes"].includes((process.env.LECTERN_DEV_PREWARM_TRACE ?? "").toLowerCase());
  const warm = async (p) => {
    const status = await get(p);
    if (trace) console.log(`[lectern] compiled ${p} (${status}) at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  const worker = async () => {
    for (let p = rest.shift(); p && !stopping; p = rest.shift()) await warm(p);
  };
  await Promise.all([worker(), worker()]);
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`[lectern] every main page compiled (${s} s): each opens without waiting for a compile now`);
  if (trace) {
    const { user, system } = process.cpuUsage();
    console.log(`[lectern] CPU time of this process so far: ${((user + system) / 1e6).toFixed(1)} s`);
  }
}

/**
 * Lectern's start (lib/server/wiring/process/startup.ts: settings, database, job queue), bundled beside Next's
 * development build and run in this process. Resolves once that start has begun (the database's start is
 * then the process's, which every copy of lib/server/wiring/db.ts finds); `started` once the database has
 * migrated and been seeded and the job queue runs. A bad setting or an unreachable database ends the process
 * with its message (startup() does that).
 */
async function startLectern() {
  const outfile = path.join(process.env.LECTERN_NEXT_DIST_DIR || ".next", "lectern-dev-startup.mjs");
  await bundleServerCode("lib/server/wiring/process/startup.ts", outfile);
  const { startup } = await import(pathToFileURL(path.resolve(root, outfile)).href);
  const started = startup();
  started.catch(cannotStart);
  return { started };
}

// Run by scripts/next.mjs: node scripts/dev-server.mjs HOST PORT PREWARM(1|0)
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [host, port, prewarm] = process.argv.slice(2);
  devServer({ host, port: Number(port), prewarm: prewarm === "1" }).catch((e) => {
    console.error(`Lectern cannot start: ${e?.message ?? e}`);
    process.exit(1);
  });
}
