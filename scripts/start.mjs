// `npm start`: runs the production server built by `npm run build` (scripts/build-server.mjs), in this
// process. It listens on 127.0.0.1 unless HOST or -H says otherwise (lib/listen.mjs).
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { whenParentGone } from "./lifecycle.mjs";

const entry = path.resolve(process.env.LECTERN_NEXT_DIST_DIR || ".next", "lectern-server.mjs");
if (!existsSync(entry)) {
  console.error(`Lectern is not built: ${entry} is missing. Run \`npm run build\` first.`);
  process.exit(1);
}
process.env.NODE_ENV ??= "production";
// Next's telemetry is off unless asked for (NEXT_TELEMETRY_DISABLED=0), as in scripts/next.mjs.
if (!process.env.NEXT_TELEMETRY_DISABLED) process.env.NEXT_TELEMETRY_DISABLED = "1";
else if (process.env.NEXT_TELEMETRY_DISABLED === "0") delete process.env.NEXT_TELEMETRY_DISABLED;
// A SIGTERM to npm does not reach this process (scripts/lifecycle.mjs): once npm is gone the server stops
// as on SIGTERM, draining its connections and ending the Next process it started.
whenParentGone(() => process.kill(process.pid, "SIGTERM"));
await import(pathToFileURL(entry).href);
