// `npm run dev` / `npm run build` / `npm run start:next`: runs Next with Lectern's defaults.
// - Next's anonymous telemetry is off unless NEXT_TELEMETRY_DISABLED is set (to 0 to turn it on): a
//   self-hosted product does not report home by default (docs/configuration.md).
// - `dev` prewarms the main pages once the server answers, so the first page a person opens is compiled
//   already (Next compiles each route on its first request); LECTERN_DEV_PREWARM=false turns it off.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const [command, ...rest] = process.argv.slice(2);
const env = { ...process.env };
if (env.NEXT_TELEMETRY_DISABLED === undefined || env.NEXT_TELEMETRY_DISABLED === "") env.NEXT_TELEMETRY_DISABLED = "1";
else if (env.NEXT_TELEMETRY_DISABLED === "0") delete env.NEXT_TELEMETRY_DISABLED; // Next treats any value as "off"

const child = spawn(process.execPath, [require.resolve("next/dist/bin/next"), command, ...rest], {
  env,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** The port `next dev` listens on: -p / --port, else PORT, else 3000 (as Next decides). */
function portOf(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-p" || args[i] === "--port") return args[i + 1];
    if (args[i].startsWith("--port=")) return args[i].slice(7);
  }
  return env.PORT || "3000";
}

const prewarm = (env.LECTERN_DEV_PREWARM ?? "true").toLowerCase();
if (command === "dev" && !["false", "0", "no"].includes(prewarm)) {
  const base = `http://127.0.0.1:${portOf(rest)}`;
  // The pages a newcomer opens first; each compiles on its first request, one after the other.
  // /api/auth/session is next-auth's route (signing in compiles it); the prompt pages compile even when
  // the request is sent to sign in first. Measured (docs/configuration.md): the prompt list 16.8 s → 2.1 s.
  const pages = ["/api/health", "/login", "/api/auth/session", "/demo/prompts", "/demo/prompts/support-reply"];
  const started = Date.now();
  const get = (path) =>
    fetch(base + path, { redirect: "manual", signal: AbortSignal.timeout(120_000) }).then(
      (r) => r.body?.cancel().then(() => r.status),
      () => null,
    );
  (async () => {
    // Wait for the server (at most two minutes), then request each page once, quietly.
    while ((await get("/api/health")) === null) {
      if (Date.now() - started > 120_000) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const p of pages.slice(1)) await get(p);
    console.log(`[lectern] prewarmed ${pages.slice(1).join(", ")} in ${Math.round((Date.now() - started) / 1000)} s`);
  })().catch(() => {});
}
