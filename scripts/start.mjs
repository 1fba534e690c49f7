// `npm start`: runs the production server built by `npm run build` (scripts/build-server.mjs).
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const entry = path.resolve(process.env.LECTERN_NEXT_DIST_DIR || ".next", "lectern-server.mjs");
if (!existsSync(entry)) {
  console.error(`Lectern is not built: ${entry} is missing. Run \`npm run build\` first.`);
  process.exit(1);
}
process.env.NODE_ENV ??= "production";
await import(pathToFileURL(entry).href);
