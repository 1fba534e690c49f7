// `npm run dev` / `npm run build` / `npm run start:next`: runs Next with Lectern's defaults.
// - `dev` and `start` listen on 127.0.0.1 unless HOST or -H says otherwise, and say the address to open.
// - Stopping this (Ctrl-C, or SIGTERM to npm or to this process) stops every process Next started: Next
//   runs in a process group of its own, which is signalled as a whole (`next dev` starts a server process
//   of its own, which outlived its parent before).
// - `build` says what it is doing while Next compiles silently for minutes.
// - Next's anonymous telemetry is off unless NEXT_TELEMETRY_DISABLED is set (to 0 to turn it on): a
//   self-hosted product does not report home by default (docs/configuration.md).
// - `dev` prewarms the main pages once the server answers, so the first page a person opens is compiled
//   already (Next compiles each route on its first request); LECTERN_DEV_PREWARM=false turns it off.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { DEFAULT_HOST, hostnameFlag, openUrl } from "../lib/listen.mjs";
import { whenParentGone } from "./lifecycle.mjs";

const require = createRequire(import.meta.url);
const [command, ...rest] = process.argv.slice(2);
const env = { ...process.env };
if (env.NEXT_TELEMETRY_DISABLED === undefined || env.NEXT_TELEMETRY_DISABLED === "") env.NEXT_TELEMETRY_DISABLED = "1";
else if (env.NEXT_TELEMETRY_DISABLED === "0") delete env.NEXT_TELEMETRY_DISABLED; // Next treats any value as "off"

const serves = command === "dev" || command === "start";
const host = hostnameFlag(rest) ?? (env.HOST || DEFAULT_HOST);
const args = serves && !hostnameFlag(rest) ? [...rest, "-H", host] : rest;

const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), command, ...args], {
  env,
  stdio: "inherit",
  detached: true,
});
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-child.pid, signal);
  } catch {}
  // Whatever of the group has not ended after 10 s is killed.
  setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    process.exit(1);
  }, 10_000).unref();
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));
whenParentGone(() => stop("SIGTERM"));
child.on("exit", (code, signal) => {
  // The group's other processes (`next dev`'s server) end with it.
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  process.exit(code ?? (signal ? 1 : 0));
});

/** The port `next dev` listens on: -p / --port, else PORT, else 3000 (as Next decides). */
function portOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-p" || args[i] === "--port") return args[i + 1];
    if (args[i].startsWith("--port=")) return args[i].slice(7);
  }
  return env.PORT || "3000";
}

if (command === "build") {
  const started = Date.now();
  console.log("[lectern] building: Next compiles every page (2–4 minutes on two cores; it prints little meanwhile)");
  const tick = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    console.log(`[lectern] still building (${Math.floor(s / 60)}m ${s % 60}s)`);
  }, 30_000);
  tick.unref();
  child.on("exit", () => clearInterval(tick));
}

if (serves) {
  const port = portOf(rest);
  // Requests go to the address it listens on (every interface answers on loopback too).
  const reach = ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host;
  const base = `http://${reach.includes(":") ? `[${reach}]` : reach}:${port}`;
  const get = (path) =>
    fetch(base + path, { redirect: "manual", signal: AbortSignal.timeout(120_000) }).then(
      (r) => r.body?.cancel().then(() => r.status),
      () => null,
    );
  const prewarm = (env.LECTERN_DEV_PREWARM ?? "true").toLowerCase();
  // The pages a newcomer opens first; each compiles on its first request, one after the other.
  // /api/auth/session is next-auth's route (signing in compiles it); the prompt pages compile even when
  // the request is sent to sign in first. Measured (docs/configuration.md): the prompt list 16.8 s → 2.1 s.
  const pages =
    command === "dev" && !["false", "0", "no"].includes(prewarm)
      ? ["/login", "/api/auth/session", "/demo/prompts", "/demo/prompts/support-reply"]
      : [];
  const started = Date.now();
  (async () => {
    // Wait for the server (at most two minutes), say where to open it, then request each page once, quietly.
    while ((await get("/api/health")) === null) {
      if (Date.now() - started > 120_000) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    const only = ["127.0.0.1", "::1", "localhost"].includes(host)
      ? " (this machine only; HOST=0.0.0.0 opens it to the network)"
      : "";
    console.log(`[lectern] open ${openUrl(host, port)}${only}`);
    if (!pages.length) return;
    for (const p of pages) await get(p);
    console.log(`[lectern] prewarmed ${pages.join(", ")} in ${Math.round((Date.now() - started) / 1000)} s`);
  })().catch(() => {});
}
