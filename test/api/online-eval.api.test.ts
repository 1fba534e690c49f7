// Online evaluation over HTTP: the rule's PUT/GET/DELETE with bad input refused (422 naming the
// field, nothing written), keys' scopes, production outputs sent as events and scored by the cron
// route, the samples drill-down and the charts' series, and alerts. (That every /api/v1 route is
// documented is checked without a server, in lib/server/http/openapi/openapi.test.ts.)
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { generationsOf, replyLiveInStaging, runCron } from "./harness";

const suffix = Date.now().toString(36);
const name = `online-${suffix}`;
let runtimeKey = "";

const rule = (extra: Record<string, unknown> = {}) => ({
  environment: "staging",
  sampleRate: 1,
  scorers: [
    { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
    { type: "length", max: 60 },
  ],
  window: 50,
  minSamples: 10,
  ...extra,
});

beforeAll(async () => {
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: `online-rt-${suffix}`, scope: "runtime" } }))
    .body.key;
  await replyLiveInStaging(name);
});

describe("the rule", () => {
  it("refuses bad input with 422 naming the field, and writes nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sampleRate: -0.1 }, "sampleRate"],
      [{ window: 10, minSamples: 20 }, "minSamples"],
      [{ scorers: [{ type: "regex", pattern: "(?<=a)b$" }] }, "scorers.0.pattern"],
      [{ scorers: [{ type: "levenshtein" }] }, "scorers.0"],
      [{ signals: ["vibes"] }, "signals.0"],
      [{ rollback: { enabled: true, maxDrop: 2 } }, "rollback.maxDrop"],
      [{ environment: "nowhere" }, "environment"],
    ];
    for (const [patch, field] of cases) {
      const r = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, { body: rule(patch) });
      expect([r.status, errorCode(r), r.body.error.details.field], JSON.stringify(r.body)).toEqual([
        422,
        "unprocessable",
        field,
      ]);
    }
    const missing = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
    expect([missing.status, errorCode(missing)]).toEqual([404, "not_found"]);
    expect(missing.body.error.message).toBe(`${name} has no online evaluation in staging.`);
    expect((await call("PUT", `/api/v1/prompts/no-such-${suffix}/online-evaluation`, { body: rule() })).status).toBe(
      404,
    );
    expect(
      (
        await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, {
          raw: "{",
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
  });

  it("a runtime key may not read or change it; other methods get 405", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await call(method, `/api/v1/prompts/${name}/online-evaluation?environment=staging`, {
        key: runtimeKey,
        body: method === "PUT" ? rule() : undefined,
      });
      expect([r.status, errorCode(r)]).toEqual([403, "forbidden"]);
    }
    const post = await call("POST", `/api/v1/prompts/${name}/online-evaluation`, { body: rule() });
    expect([post.status, post.headers.get("allow")]).toEqual([405, "GET, PUT, DELETE, HEAD, OPTIONS"]);
  });

  it("PUT creates and replaces it, GET returns it, DELETE removes it", async () => {
    const put = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, { body: rule({ sampleRate: 0.5 }) });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      prompt: name,
      environment: "staging",
      sampleRate: 0.5,
      signals: ["feedback", "outcome"],
      window: 50,
      minSamples: 10,
      alpha: 0.05,
      alert: { maxDrop: 0.05 },
      rollback: { enabled: false, maxDrop: 0.15, cooldownMinutes: 60 },
      lastCheck: null,
      versions: [],
    });
    expect(put.body.scorers.map((s: { name: string }) => s.name)).toEqual(["thanks", "length"]);
    const replaced = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, { body: rule() });
    expect([replaced.body.id, replaced.body.sampleRate]).toEqual([put.body.id, 1]);
    const got = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
    expect(got.body).toMatchObject({ id: put.body.id, sampleRate: 1 });
    // Without ?environment= it is production's, as for resolve.
    expect((await call("GET", `/api/v1/prompts/${name}/online-evaluation`)).body.error.message).toBe(
      `${name} has no online evaluation in production (it has in staging).`,
    );

    const other = `online-del-${suffix}`;
    await call("POST", "/api/v1/prompts", { body: { name: other, type: "text", template: "x" } });
    expect((await call("PUT", `/api/v1/prompts/${other}/online-evaluation`, { body: rule() })).status).toBe(200);
    expect((await call("DELETE", `/api/v1/prompts/${other}/online-evaluation`)).status).toBe(400);
    expect((await call("DELETE", `/api/v1/prompts/${other}/online-evaluation?environment=staging`)).status).toBe(204);
    expect((await call("DELETE", `/api/v1/prompts/${other}/online-evaluation?environment=staging`)).status).toBe(404);
  });
});

describe("production outputs", () => {
  it("are sampled from events, scored by the cron route, and shown per version with reasons", async () => {
    const events = generationsOf(
      name,
      `online-${suffix}`,
      Array.from({ length: 12 }, (_, i) => (i < 9 ? "Thank you, Ana!" : "No. ".repeat(20))),
    );
    const sent = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } });
    expect([sent.status, sent.body]).toEqual([202, { accepted: 12, duplicates: 0 }]);
    const pending = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
    expect(pending.body.versions).toEqual([expect.objectContaining({ version: 1, pending: 12, scored: 0 })]);

    // Other rules' samples may be pending too; run until none of ours are.
    for (let i = 0; i < 10; i++) {
      await runCron("online-eval", { expectOk: true });
      const r = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
      if (r.body.versions[0].pending === 0) break;
    }
    const scored = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
    expect(scored.body.versions).toEqual([expect.objectContaining({ version: 1, pending: 0, scored: 12, failed: 0 })]);
    expect(scored.body.versions[0].mean).toBeCloseTo(9 / 12, 10);

    const samples = await call(
      "GET",
      `/api/v1/prompts/${name}/online-evaluation/samples?environment=staging&version=1&limit=5`,
    );
    expect(samples.status).toBe(200);
    expect(samples.body.data).toHaveLength(5);
    expect(samples.body.next).toEqual(expect.any(Number));
    const curt = samples.body.data.find((s: { output: string }) => s.output.startsWith("No."));
    expect(curt.scores).toContainEqual({
      scorer: "thanks",
      score: 0,
      passed: false,
      reason: expect.stringContaining("thank"),
    });
    expect(curt.scores).toContainEqual({
      scorer: "length",
      score: 0,
      passed: false,
      reason: expect.stringContaining("60"),
    });
    const page2 = await call(
      "GET",
      `/api/v1/prompts/${name}/online-evaluation/samples?environment=staging&version=1&limit=5&before=${samples.body.next}`,
    );
    expect(page2.body.data.map((s: { id: number }) => s.id).every((id: number) => id < samples.body.next)).toBe(true);
    expect(
      (await call("GET", `/api/v1/prompts/${name}/online-evaluation/samples?environment=staging&limit=500`)).body.error
        .details.field,
    ).toBe("query.limit");

    const series = await call("GET", `/api/v1/prompts/${name}/online-evaluation/series?environment=staging&bucket=day`);
    expect(series.body.bucket).toBe("day");
    expect(series.body.data.find((p: { scorer: string }) => p.scorer === "thanks")).toMatchObject({
      version: 1,
      n: 12,
      mean: 0.75,
    });
    expect(
      (await call("GET", `/api/v1/prompts/${name}/online-evaluation/series?bucket=week`)).body.error.details.field,
    ).toBe("query.bucket");

    // The regression check runs on every rule and reports this one: a single version, nothing to compare.
    const check = await runCron("auto-rollback", { expectOk: true });
    expect(check.rules.find((d: { prompt: string }) => d.prompt === name)).toMatchObject({
      live: 1,
      action: "skipped",
      reason: "no earlier version to compare with",
    });
  });
});

describe("alerts", () => {
  it("lists with filters, validates them, and acknowledging an unknown alert is 404", async () => {
    const r = await call("GET", `/api/v1/alerts?open=true&prompt=${name}`);
    expect([r.status, r.body.data]).toEqual([200, []]);
    expect((await call("GET", "/api/v1/alerts?open=maybe")).body.error.details.field).toBe("query.open");
    expect((await call("GET", "/api/v1/alerts", { key: runtimeKey })).status).toBe(403);
    const unknown = await call("POST", "/api/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge");
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "not_found"]);
    expect((await call("POST", "/api/v1/alerts/not-a-uuid/acknowledge")).status).toBe(404);
  });
});
