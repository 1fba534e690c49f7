// bench:scale's online evaluation at size: a prompt with an online rule in production that samples every
// output, `samples` generations with outputs sent through ingestEvents (the real write path: sampling, the
// triggers that keep the page's sums), then scored in SQL rather than by the scoring job (one transaction
// per sample would take hours at a million): 90% scored by two scorers, 5% failed, 5% left pending, and a
// shadow answer of v2 for one sample in ten. Returns the timings of the online page (rule, series, judges,
// shadow) and of the shadow comparison.
import { sql } from "drizzle-orm";
import type { Database } from "../db/client";
import { ingestEvents } from "../lib/ingest/ingest";
import { onlineOverview } from "../lib/evaluation/online/overview";
import { putOnlineEvaluation } from "../lib/evaluation/online/rules";
import { shadowComparison } from "../lib/evaluation/online/shadow/shadow-read";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { noEvents } from "../lib/announcements";
import { promoteVersion } from "../lib/release/promote";
import { inParallel } from "./experiments";
import { system } from "./setup";
import { projectContext } from "../lib/context";

export async function onlineAtScale(
  database: Database,
  projectId: string,
  opts: { samples: number; concurrency: number; time: (read: () => Promise<unknown>) => Promise<unknown> },
) {
  const db = database.db;
  const ctx = { db, actor: system, projectId, events: noEvents };
  const name = "app/online";
  const variables = [{ name: "q" }];
  const created = await createPrompt(ctx, { name, type: "text", template: "Answer {{q}}", variables });
  await createVersion(ctx, name, { template: "Answer {{q}} briefly", variables });
  await promoteVersion(ctx, name, { environment: "production", version: 1 });
  const rule = await putOnlineEvaluation(ctx, name, {
    environment: "production",
    sampleRate: 1,
    scorers: [
      { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
      { type: "length", name: "short", max: 40 },
    ],
    signals: [],
    window: 1000,
    minSamples: 100,
    alert: { maxDrop: 0.1 },
    rollback: { enabled: false, maxDrop: 0.3, cooldownMinutes: 60 },
  });
  const starts: number[] = [];
  for (let start = 0; start < opts.samples; start += 500) starts.push(start);
  // Spread over the last 30 days, so the series has its hours.
  const span = 30 * 86_400_000;
  const t0 = Date.now();
  await inParallel(starts, opts.concurrency, async (start) => {
    const events = [];
    for (let i = start; i < Math.min(opts.samples, start + 500); i++)
      events.push({
        id: `o${i}`,
        type: "generation",
        prompt: name,
        version: 1,
        environment: "production",
        subject: `s${i}`,
        at: new Date(t0 - span + Math.floor((i / opts.samples) * span)).toISOString(),
        latencyMs: 300 + (i % 500),
        input: { q: `question ${i}` },
        output: i % 3 ? "Thank you, here is the answer." : "Here is the answer.",
      });
    await ingestEvents(db, projectId, { events });
  });
  const ingestSeconds = (Date.now() - t0) / 1000;
  await db.execute(sql`
    update online_samples set status = (case when id % 20 = 0 then 'failed' else 'scored' end)::online_sample_status,
      score = case when id % 20 = 0 then null when output like 'Thank%' then 1 else 0.5 end,
      attempts = 1, scored_at = now()
    where rule_id = ${rule.id} and id % 20 <> 1`);
  await db.execute(sql`
    insert into online_scores (sample_id, scorer, score, passed, reason)
    select id, s.scorer, case when s.scorer = 'short' then 1 when output like 'Thank%' then 1 else 0 end, true, ''
    from online_samples, (values ('thanks'), ('short')) s(scorer)
    where rule_id = ${rule.id} and status = 'scored'`);
  await db.execute(sql`
    insert into shadow_results (project_id, rule_id, sample_id, candidate_version, live_version, status, output, score,
      latency_ms, cost_usd, answer_cost_usd, live_latency_ms, live_cost_usd, calls, created_at)
    select project_id, rule_id, id, 2, 1, 'done', 'Thanks, briefly.', 0.9, 300, 0.0002, 0.0001, 320, 0.00012, 1, at
    from online_samples where rule_id = ${rule.id} and id % 10 = 3`);
  await db.execute(sql`analyze online_samples; analyze online_scores; analyze shadow_results`);
  const prompt = { id: created.prompt.id, name };
  return {
    ingestSeconds,
    page: await opts.time(() =>
      onlineOverview(projectContext(db, system, projectId, noEvents), prompt, { environment: "production" }),
    ),
    shadow: await opts.time(() => shadowComparison(db, projectId, name, "production", { version: "all", pairs: 20 })),
  };
}
