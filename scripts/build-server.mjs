// Bundles gateway/main.ts (and the lib/ code it uses) into <distDir>/lectern-server.mjs, next to
// Next's own build (scripts/server-bundle.mjs).
import path from "node:path";
import { bundleServerCode } from "./server-bundle.mjs";

const distDir = process.env.LECTERN_NEXT_DIST_DIR || ".next";

// The server, and the OTLP decoder's worker thread beside it (lib/ingest/otlp-decode-thread.ts finds it there).
for (const [entry, out] of [
  ["gateway/main.ts", "lectern-server.mjs"],
  ["lib/ingest/otlp-decode-worker.ts", "lectern-otlp-worker.mjs"],
])
  await bundleServerCode(entry, path.join(distDir, out));
console.log(`${distDir}/lectern-server.mjs and lectern-otlp-worker.mjs built`);
