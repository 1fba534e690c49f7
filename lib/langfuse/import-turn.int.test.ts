// A project's turn at importing from Langfuse: while one import runs (here, one whose source never answers), a
// second import of the same project is refused with 429 naming the limit, and writes nothing; once the first
// ends, the next is taken; a lease left by an instance that died is taken over when its time is up.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { projectLeases } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { f, run, source, t, withLangfuseImport } from "../../test/langfuse-import-fixture";
import { listPromptRows } from "../registry/prompts";
import { importFromLangfuse } from "./import";

withLangfuseImport("import-turn");

describe("one Langfuse import per project at a time", () => {
  it("refuses a second import while the first runs, and takes the next once it has ended", async () => {
    const hanging = http.createServer(() => {});
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const arrived = new Promise<void>((r) => hanging.once("request", () => r()));
    try {
      const asker = new AbortController();
      const first = importFromLangfuse(f.ctx(f.admin), { ...source(), url }, { fetcher: fetch, signal: asker.signal });
      first.catch(() => {});
      await arrived;
      const second = await failure(run());
      expect([second.code, second.status, second.details]).toEqual([
        "rate_limited",
        429,
        { limit: 1, retryAfterSeconds: 30 },
      ]);
      expect((await listPromptRows(t.db, f.projectId)).total).toBe(0);
      asker.abort();
      await expect(first).rejects.toThrow(/went away/);
      expect(await t.db.select().from(projectLeases).where(eq(projectLeases.projectId, f.projectId))).toEqual([]);
      expect((await run({ dryRun: true })).dryRun).toBe(true);
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  it("takes over a lease whose holder's time is up", async () => {
    const holder = "00000000-0000-4000-8000-000000000001";
    await t.db
      .insert(projectLeases)
      .values({ projectId: f.projectId, name: "langfuse-import", holder, expiresAt: new Date(Date.now() + 60_000) });
    expect((await failure(run({ dryRun: true }))).code).toBe("rate_limited");
    await t.db
      .update(projectLeases)
      .set({ expiresAt: new Date(Date.now() - 1_000) })
      .where(eq(projectLeases.projectId, f.projectId));
    expect((await run({ dryRun: true })).dryRun).toBe(true);
  });
});
