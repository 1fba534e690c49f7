// The Langfuse importer against a local server answering with recorded Langfuse answers
// (test/langfuse-server.ts): every version in order with its number, commit message, config, tags,
// author and time; labels as environments; what cannot be mapped reported; all or nothing per prompt;
// a dry run writes nothing; a second run imports only what is new.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { code } from "../../test/domain-fixtures";
import { byName, f, lf, run, source, t, withLangfuseImport } from "../../test/langfuse-import-fixture";
import { getPrompt, listPromptRows } from "../registry/prompts";
import { getVersion, listVersionRows } from "../registry/versions";
import { listEnvironmentRows, updateEnvironment } from "../release/environments";
import { getLangfusePrompt, listLangfusePrompts } from "./reads";
import { langfuseListQuery } from "./mapping";
import { loadResolved } from "../runtime/load";
import { renderResolved } from "../runtime/resolve";
import { findLabelTarget } from "../release/version-labels/version-labels";
import { importFromLangfuse } from "./import";
import { importLimits } from "./import-limits";

withLangfuseImport("import");

describe("importing a Langfuse project", () => {
  it("a dry run prints the plan and writes nothing", async () => {
    const r = await run({ dryRun: true });
    expect(r.dryRun).toBe(true);
    expect(byName(r, "support/Reply Bot")).toMatchObject({ outcome: "created", versions: [1, 2, 4], filled: [3] });
    expect(byName(r, "broken")).toMatchObject({ outcome: "skipped", error: expect.stringContaining("version 2") });
    // Labels no environment has are kept as version labels: no environment is made for them.
    expect(r.environmentsCreated).toEqual([]);
    expect(byName(r, "Summarizer v2.1").labels).toContainEqual({
      label: "canary",
      kind: "version",
      version: 2,
      from: null,
    });
    expect(byName(r, "Summarizer v2.1").labels).toContainEqual({
      label: "staging",
      kind: "environment",
      version: 2,
      from: null,
    });
    expect((await listPromptRows(t.db, f.projectId)).total).toBe(0);
    expect((await listEnvironmentRows(t.db, f.projectId)).map((e) => e.name)).not.toContain("canary");
  });

  it("copies every version with its number, message, config, tags, author and time", async () => {
    const r = await run();
    expect(r.totals).toMatchObject({ prompts: 5, imported: 4, skipped: 1 });
    const reply = await getPrompt(t.db, f.projectId, "support/Reply Bot");
    expect(reply.tags).toEqual(["support"]);
    const versions = (await listVersionRows(t.db, reply, { order: "asc" })).map((v) => v.version);
    expect(versions.map((v) => [v.version, v.commitMessage, v.authorLabel, v.createdAt.toISOString()])).toEqual([
      [1, "First draft", "cm5user0ann", "2026-03-02T09:15:04.120Z"],
      [2, "Friendlier", "cm5user0ann", "2026-03-05T10:59:58.001Z"],
      [3, expect.stringContaining("deleted in Langfuse"), "lectern import", "2026-03-05T10:59:58.001Z"],
      [4, "Keep the conversation history", "API", "2026-03-07T07:59:41.310Z"],
    ]);
    expect((await getVersion(t.db, reply, 4)).content).toMatchObject({
      type: "chat",
      template: [
        { role: "system", content: "You are a friendly support agent for {{company}}." },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{ticket}}" },
      ],
      config: { model: "gpt-4o", temperature: 0.3 },
    });
    // The gap is a deleted version: Langfuse's numbering, as Langfuse lists it.
    const listed = await listLangfusePrompts(t.db, f.projectId, langfuseListQuery.parse({ name: "support/Reply Bot" }));
    expect(listed.data[0]).toMatchObject({ versions: [1, 2, 4], labels: ["latest", "production", "staging"] });
  });

  it("maps labels: an environment's name moves it (production serves what Langfuse's production label pointed at), others are version labels", async () => {
    expect((await loadResolved(t.db, f.projectId, "support/Reply Bot", "production")).version).toBe(4);
    expect((await loadResolved(t.db, f.projectId, "support/Reply Bot", "staging")).version).toBe(2);
    expect((await listEnvironmentRows(t.db, f.projectId)).map((e) => e.name)).not.toContain("canary");
    const summarizer = await getPrompt(t.db, f.projectId, "Summarizer v2.1");
    expect(await findLabelTarget(t.db, f.projectId, summarizer.id, "canary")).toEqual({ kind: "version", version: 2 });
    // A label with a '.' (refused before) is kept too, and Langfuse clients fetch by it.
    const legacy = await getLangfusePrompt(t.db, f.projectId, "legacy.prompt", { label: "prod.v1" });
    expect(legacy).toMatchObject({ version: 1, labels: ["prod.v1", "latest"] });
  });

  it("composition tags become pinned partials that render as Langfuse resolved them", async () => {
    const staging = await loadResolved(t.db, f.projectId, "Summarizer v2.1", "staging");
    expect(renderResolved(staging, { text: "X" }).rendered).toBe("Be brief and kind. Summarize X in three sentences.");
    const raw = await getLangfusePrompt(t.db, f.projectId, "Summarizer v2.1", { label: "staging", resolve: "false" });
    expect(raw.prompt).toBe(
      "@@@langfusePrompt:name=shared/tone|label=production@@@ Summarize {{text}} in three sentences.",
    );
  });

  it("reports what it could not map, and refuses a prompt it cannot take whole", async () => {
    const r = await run({ dryRun: true });
    expect(byName(r, "legacy.prompt").unmapped).toEqual([]);
    expect(byName(r, "broken")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("config.temperature must be a number"),
    });
    expect(await code(getPrompt(t.db, f.projectId, "broken"))).toBe("not_found");
  });

  it("is idempotent: a second run imports nothing, a third only the new version", async () => {
    const again = await run();
    expect(again.prompts.filter((p) => p.outcome !== "unchanged" && p.outcome !== "skipped")).toEqual([]);
    expect(again.totals.versions).toBe(0);
    lf.addVersion({
      name: "shared/tone",
      type: "text",
      prompt: "Be brief, kind and exact.",
      config: {},
      labels: ["production", "exact", ".."],
      tags: [],
      commitMessage: "Exact too",
      createdBy: "cm5user0bob",
    });
    const third = await run();
    expect(byName(third, "shared/tone")).toMatchObject({
      outcome: "updated",
      versions: [2],
      labels: [
        { label: "production", kind: "environment", version: 2, from: 1 },
        { label: "exact", kind: "version", version: 2, from: null },
      ],
      unmapped: [expect.stringContaining("label .. (on version 2): label cannot be only dots")],
    });
    expect(third.totals.versions).toBe(1);
    expect(byName(await run(), "shared/tone").outcome).toBe("unchanged");
    expect((await loadResolved(t.db, f.projectId, "shared/tone", "production")).version).toBe(2);
  });

  it("what another server sends is checked like a request body: too deep or with NUL, the prompt is skipped", async () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100; i++) deep = { nested: deep };
    const base = { type: "text" as const, labels: [], tags: [], commitMessage: null, createdBy: "cm5user0bob" };
    lf.addVersion({ ...base, name: "hostile/deep", prompt: "Hi", config: { deep } });
    lf.addVersion({ ...base, name: "hostile/nul", prompt: "Hi\u0000there", config: {} });
    const r = await run();
    expect(byName(r, "hostile/deep")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("nested more than 64 levels deep"),
    });
    expect(byName(r, "hostile/nul")).toMatchObject({ outcome: "skipped", error: expect.stringContaining("NUL") });
    expect(await code(getPrompt(t.db, f.projectId, "hostile/deep"))).toBe("not_found");
  });

  it("follows a source's version numbers only so far: a gap of 2^31 or 1,001 versions skips the prompt, unread", async () => {
    const at = new Date().toISOString();
    const row = (name: string, version: number) => ({
      name,
      version,
      type: "text" as const,
      prompt: `v${version}`,
      config: {},
      labels: [],
      tags: [],
      commitMessage: null,
      createdBy: "cm5user0bob",
      createdAt: at,
      updatedAt: at,
    });
    lf.recorded.versions.push(row("hostile/gap", 1), row("hostile/gap", 2147483647));
    for (let v = 1; v <= importLimits.versionsPerPrompt + 1; v++) lf.recorded.versions.push(row("hostile/many", v));
    // Within the limit: 100 numbers deleted in Langfuse are filled.
    lf.recorded.versions.push(row("hostile/fillable", 1), row("hostile/fillable", 102));
    const before = lf.requests.length;
    const r = await run({ dryRun: true });
    expect(byName(r, "hostile/gap")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("the import fills at most 100 numbers deleted in Langfuse per prompt"),
      filled: [],
    });
    expect(byName(r, "hostile/many")).toMatchObject({
      outcome: "skipped",
      error: expect.stringContaining("at most 1,000 versions of one prompt"),
    });
    expect(byName(r, "hostile/fillable")).toMatchObject({ outcome: "created", versions: [1, 102] });
    expect(byName(r, "hostile/fillable").filled).toHaveLength(100);
    // Neither skipped prompt's versions were asked for.
    const asked = lf.requests.slice(before).filter((q) => /hostile%2F(gap|many)\?/.test(q));
    expect(asked).toEqual([]);
    lf.recorded.versions.splice(
      0,
      lf.recorded.versions.length,
      ...lf.recorded.versions.filter((v) => !v.name.startsWith("hostile/")),
    );
  });

  it("stops when the asker goes away or at its deadline, and closes its requests to a source that never answers", async () => {
    const open = new Set<http.IncomingMessage>();
    let closed = 0;
    const hanging = http.createServer((req) => {
      open.add(req);
      req.socket.on("close", () => (open.delete(req), closed++));
    });
    await new Promise<void>((r) => hanging.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const arrived = () => new Promise<void>((r) => hanging.once("request", () => r()));
    try {
      const asker = new AbortController();
      const first = arrived();
      const going = importFromLangfuse(f.ctx(f.admin), { ...source(), url }, { fetcher: fetch, signal: asker.signal });
      await first;
      asker.abort();
      await expect(going).rejects.toThrow(/the request that asked for it went away/);
      await expect.poll(() => [open.size, closed]).toEqual([0, 1]);

      const deadline = importLimits.deadlineMs;
      importLimits.deadlineMs = 200;
      try {
        await expect(importFromLangfuse(f.ctx(f.admin), { ...source(), url }, { fetcher: fetch })).rejects.toThrow(
          /stopped at its deadline/,
        );
      } finally {
        importLimits.deadlineMs = deadline;
      }
      await expect.poll(() => open.size).toBe(0);
    } finally {
      hanging.closeAllConnections();
      await new Promise((r) => hanging.close(r));
    }
  });

  it("stops reading an answer at the import's byte limit, not after it", async () => {
    // A source that answers its list with an endless body: the import reads up to its limit and stops.
    let written = 0;
    const endless = http.createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"data":[');
      const block = Buffer.alloc(1 << 16, 32);
      const pump = () => {
        while (!res.destroyed && written < 512 * 2 ** 20) {
          written += block.length;
          if (!res.write(block)) return void res.once("drain", pump);
        }
      };
      res.on("error", () => {});
      pump();
    });
    await new Promise<void>((r) => endless.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}`;
    const bytes = importLimits.bytes;
    importLimits.bytes = 4 * 2 ** 20;
    try {
      await expect(importFromLangfuse(f.ctx(f.admin), { ...source(), url }, { fetcher: fetch })).rejects.toThrow(
        /read more than 4 MiB/,
      );
      // It stopped at 4 MiB; what the server wrote beyond is what the sockets buffered, not the 512 MiB on offer.
      expect(written).toBeLessThan(64 * 2 ** 20);
    } finally {
      importLimits.bytes = bytes;
      endless.closeAllConnections();
      await new Promise((r) => endless.close(r));
    }
  });

  it("a label an environment's rules refuse leaves the whole prompt as it was, and says why", async () => {
    await updateEnvironment(f.ctx(f.admin), "production", { requiresReview: true });
    try {
      lf.addVersion({
        name: "support/Reply Bot",
        type: "chat",
        prompt: [{ role: "system", content: "v5" }],
        config: {},
        labels: ["production"],
        tags: ["support"],
        commitMessage: "v5",
        createdBy: "API",
      });
      const r = await run();
      expect(byName(r, "support/Reply Bot")).toMatchObject({
        outcome: "skipped",
        error: expect.stringMatching(/label production → version 5: production requires an approved review/),
      });
      expect((await getPrompt(t.db, f.projectId, "support/Reply Bot")).latestVersion).toBe(4);
    } finally {
      await updateEnvironment(f.ctx(f.admin), "production", { requiresReview: false });
    }
  });

  it("wrong keys and unreachable servers are named, not 500s", async () => {
    const bad = await importFromLangfuse(f.ctx(f.admin), { ...source(), secretKey: "nope" }, { fetcher: fetch }).catch(
      (e) => e,
    );
    expect(bad).toMatchObject({ code: "invalid_input", details: { field: "secretKey" } });
    const gone = await importFromLangfuse(
      f.ctx(f.admin),
      { ...source(), url: "http://127.0.0.1:9" },
      { fetcher: fetch },
    ).catch((e) => e);
    expect(gone).toMatchObject({ code: "unprocessable", details: { field: "url" } });
  });
});
