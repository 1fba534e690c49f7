// `npm run dev` / `npm run build` / `npm run start:next`: runs Next with Lectern's defaults.
// - `dev` runs scripts/dev-server.mjs (Next's development server behind Lectern's own listener: why, there);
//   `start` runs `next start`. Both listen on 127.0.0.1 unless HOST or -H says otherwise, and say the one
//   address to open.
// - Stopping this stops every process it started, within 5 s: Ctrl-C (SIGINT to the terminal's group), or
//   SIGINT or SIGTERM to this process or to npm alone (package.json runs it with `exec`, so npm's signal
//   reaches it rather than a shell that waits). What it started runs in a process group of its own, which is
//   signalled as a whole, then killed if anything of it is left after 4.5 s.
// - `build` says what it is doing while Next compiles silently for minutes.
// - Next's anonymous telemetry is off unless NEXT_TELEMETRY_DISABLED is set (to 0 to turn it on): a
//   self-hosted product does not report home by default (docs/configuration.md).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

/** The port to listen on: -p / --port, else PORT, else 3000 (as Next decides). */
function portOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-p" || args[i] === "--port") return args[i + 1];
    if (args[i].startsWith("--port=")) return args[i].slice(7);
  }
  return env.PORT || "3000";
}
const port = portOf(rest);
const prewarm = !["false", "0", "no"].includes((env.LECTERN_DEV_PREWARM ?? "true").toLowerCase());

const argv =
  command === "dev"
    ? [path.join(path.dirname(fileURLToPath(import.meta.url)), "dev-server.mjs"), host, port, prewarm ? "1" : "0"]
    : [require.resolve("next/dist/bin/next"), command, ...args];
const child = spawn(process.execPath, argv, { env, stdio: "inherit", detached: true });
let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  try {
    process.kill(-child.pid, signal);
  } catch {}
  // Whatever of the group has not ended after 4.5 s is killed.
  setTimeout(() => {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
    process.exit(1);
  }, 4_500).unref();
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => stop(signal));
whenParentGone(() => stop("SIGTERM"));
child.on("exit", (code, signal) => {
  // The group's other processes (workers Next started) end with it.
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {}
  process.exit(code ?? (signal ? 1 : 0));
});

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

if (command === "start") {
  // Requests go to the address it listens on (every interface answers on loopback too).
  const reach = ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host;
  const base = `http://${reach.includes(":") ? `[${reach}]` : reach}:${port}`;
  const started = Date.now();
  (async () => {
    // Wait for the server (at most two minutes), then say where to open it.
    while (
      !(await fetch(base + "/api/health").then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() - started > 120_000) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    const only = ["127.0.0.1", "::1", "localhost"].includes(host)
      ? " (this machine only; HOST=0.0.0.0 opens it to the network)"
      : "";
    console.log(`[lectern] open ${openUrl(host, port)}${only}`);
  })().catch(() => {});
}
