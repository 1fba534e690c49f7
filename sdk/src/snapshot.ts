// snapshot() and the bootstrap option: what is cached, saved as JSON, and served at once by a client
// started from it (as stale, so it is revalidated on first use).
import type { PromptCache } from "./cache";
import { LecternError } from "./errors";
import { looksResolved, type ResolveKey } from "./http";
import type { ResolveResponse, Snapshot } from "./types";

const snapshotFormat = "lectern.snapshot/1";

export function takeSnapshot(cache: PromptCache, now: () => number): Snapshot {
  const entries = [...cache.entries()].map((e) => ({
    environment: e.key.environment,
    name: e.key.name,
    version: e.key.version ?? null,
    ...(e.key.label !== undefined && { label: e.key.label }),
    subject: e.key.subject ?? null,
    etag: e.etag,
    response: e.response,
  }));
  // Through JSON, so what the caller gets is exactly what survives being saved to a file.
  return JSON.parse(
    JSON.stringify({ format: snapshotFormat, createdAt: new Date(now()).toISOString(), entries }),
  ) as Snapshot;
}

export function loadSnapshot(cache: PromptCache, s: Snapshot): void {
  if (s?.format !== snapshotFormat || !Array.isArray(s.entries))
    throw new LecternError(`bootstrap must be a snapshot from lectern.snapshot() (format "${snapshotFormat}")`, {
      code: "invalid_input",
    });
  for (const e of s.entries) {
    if (!looksResolved(e?.response) || typeof e.environment !== "string" || typeof e.name !== "string")
      throw new LecternError("bootstrap holds an entry that is not a resolved prompt", {
        code: "invalid_input",
        details: { name: e?.name },
      });
    const response = JSON.parse(JSON.stringify(e.response)) as ResolveResponse;
    const key: ResolveKey = {
      environment: e.environment,
      name: e.name,
      version: e.version ?? undefined,
      ...(typeof e.label === "string" && { label: e.label }),
      subject: e.subject ?? undefined,
    };
    // Stale from the start: served at once, revalidated (with its ETag) on first use.
    cache.set(key, response, e.etag, 0, "bootstrap");
  }
}
