// Each release operation writes everything that belongs together in one transaction: a crash between
// two of its writes leaves no half state. The crash is real: a trigger makes the database refuse the
// operation's last write (its audit row), and the test checks that nothing the operation wrote before it
// survived — then drops the trigger and shows that the same call now goes through. (The automatic
// rollback's crash, with its mark and alert, is in lib/evaluation/online/loop/loop-rollback.int.test.ts.)
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { liveVersion, promptWith } from "../../test/domain-fixtures";
import { createDataset, importItems } from "../evaluation/datasets";
import { createExperiment } from "../experiments/store";
import { startExperiment, stopExperiment } from "../experiments/lifecycle";
import { getPrompt } from "../registry/prompts";
import { autoPromote } from "./gates/auto-promote";
import { startRollout } from "../experiments/rollouts/rollouts";
import { updateEnvironment } from "./environments";
import { noEvents } from "../announcements";
import { promoteVersion } from "./promote";
import { decideReview, requestReview } from "./reviews/reviews";
import { rollbackPrompt } from "./rollback";

withReleaseDatabase("one-tx");

/** Runs `fn` while the database refuses every audit row with this action (the operation's last write). */
async function crashingOn<T>(action: string, fn: () => Promise<T>): Promise<unknown> {
  await t.db.execute(sql`create or replace function one_tx_crash() returns trigger language plpgsql as $$
    begin raise exception 'simulated crash before the audit row %', new.action; end $$`);
  await t.db.execute(
    sql.raw(`create trigger one_tx_crash before insert on audit_log for each row
             when (new.action = '${action}') execute function one_tx_crash()`),
  );
  try {
    return await fn().then(
      () => null,
      (e: unknown) => e,
    );
  } finally {
    await t.db.execute(sql`drop trigger one_tx_crash on audit_log`);
  }
}

/** Everything a release operation may write, for one prompt: compared before and after a crash. */
async function stateOf(name: string) {
  const prompt = await getPrompt(t.db, f.projectId, name);
  const rows = (q: ReturnType<typeof sql>) => queryRows<Record<string, unknown>>(t.db, q);
  return {
    deployments: await rows(sql`select id, version, environment_id from deployments where prompt_id = ${prompt.id}
                                order by id`),
    reviews: await rows(sql`select id, status, decided_by from review_requests where prompt_id = ${prompt.id}
                            order by created_at`),
    experiments: await rows(sql`select id, status, decision from experiments where prompt_id = ${prompt.id}
                                order by created_at`),
    comments: await rows(sql`select c.id from review_comments c join review_requests r on r.id = c.review_id
                             where r.prompt_id = ${prompt.id}`),
    audit: await rows(sql`select id, action from audit_log where project_id = ${f.projectId} order by id`),
  };
}

function expectCrash(err: unknown, action: string) {
  const e = err as (Error & { cause?: Error }) | null;
  expect(e, "the operation should have failed").not.toBeNull();
  expect(String(e!.cause?.message ?? e!.message)).toContain(`simulated crash before the audit row ${action}`);
}

async function runningExperiment(name: string, environment: string, control: number, variant: number) {
  const e = await createExperiment(f.ctx(f.admin), {
    prompt: name,
    environment,
    name: `${name} split`,
    variants: [
      { key: "control", version: control, weight: 0.5 },
      { key: "b", version: variant, weight: 0.5 },
    ],
    mode: "sequential",
    primaryMetric: { name: "thumbs", kind: "binary" },
  });
  await startExperiment(f.ctx(f.admin), e.id);
  return e;
}

describe("a crash between an operation's writes leaves no half state", () => {
  it("promote: no deployment, the running experiment still runs", async () => {
    await promptWith(t.db, f, "tx-promote", 3);
    await promoteVersion(f.ctx(f.approver), "tx-promote", { environment: "staging", version: 1 });
    await runningExperiment("tx-promote", "staging", 1, 2);
    const before = await stateOf("tx-promote");
    const err = await crashingOn("deployment.promote", () =>
      promoteVersion(f.ctx(f.approver), "tx-promote", { environment: "staging", version: 3 }),
    );
    expectCrash(err, "deployment.promote");
    expect(await stateOf("tx-promote")).toEqual(before);
    expect(await liveVersion(t.db, f, "tx-promote", "staging")).toBe(1);
    await promoteVersion(f.ctx(f.approver), "tx-promote", { environment: "staging", version: 3 });
    expect(await liveVersion(t.db, f, "tx-promote", "staging")).toBe(3);
    expect((await stateOf("tx-promote")).experiments[0]).toMatchObject({ status: "stopped" });
  });

  it("rollback: no deployment, the running experiment still runs", async () => {
    await promptWith(t.db, f, "tx-rollback", 3);
    await promoteVersion(f.ctx(f.approver), "tx-rollback", { environment: "staging", version: 1 });
    await promoteVersion(f.ctx(f.approver), "tx-rollback", { environment: "staging", version: 2 });
    await runningExperiment("tx-rollback", "staging", 2, 3);
    const before = await stateOf("tx-rollback");
    const err = await crashingOn("deployment.rollback", () =>
      rollbackPrompt(f.ctx(f.approver), "tx-rollback", { environment: "staging" }),
    );
    expectCrash(err, "deployment.rollback");
    expect(await stateOf("tx-rollback")).toEqual(before);
    await rollbackPrompt(f.ctx(f.approver), "tx-rollback", { environment: "staging" });
    expect(await liveVersion(t.db, f, "tx-rollback", "staging")).toBe(1);
  });

  it("request review: no review request without its audit row", async () => {
    await promptWith(t.db, f, "tx-request", 2);
    const before = await stateOf("tx-request");
    const err = await crashingOn("review.request", () =>
      requestReview(f.ctx(f.editor), "tx-request", { version: 2, environment: "staging" }),
    );
    expectCrash(err, "review.request");
    expect(await stateOf("tx-request")).toEqual(before);
    const review = await requestReview(f.ctx(f.editor), "tx-request", { version: 2, environment: "staging" });
    expect(review.status).toBe("pending");
  });

  it("decide review: an approval that deploys leaves the review pending and nothing deployed", async () => {
    await promptWith(t.db, f, "tx-decide", 2);
    const review = await requestReview(f.ctx(f.editor), "tx-decide", { version: 2, environment: "staging" });
    const before = await stateOf("tx-decide");
    const err = await crashingOn("deployment.promote", () =>
      decideReview(f.ctx(f.approver), review.id, { decision: "approve", comment: "Looks right" }),
    );
    expectCrash(err, "deployment.promote");
    expect(await stateOf("tx-decide")).toEqual(before);
    await decideReview(f.ctx(f.approver), review.id, { decision: "approve", comment: "Looks right" });
    expect(await liveVersion(t.db, f, "tx-decide", "staging")).toBe(2);
  });

  it("ship an experiment: it keeps running and nothing is deployed", async () => {
    await promptWith(t.db, f, "tx-ship", 2);
    await promoteVersion(f.ctx(f.approver), "tx-ship", { environment: "staging", version: 1 });
    const e = await runningExperiment("tx-ship", "staging", 1, 2);
    const before = await stateOf("tx-ship");
    const err = await crashingOn("experiment.stop", () =>
      stopExperiment(f.ctx(f.admin), e.id, { decision: { ship: "b" }, reason: "b wins" }),
    );
    expectCrash(err, "experiment.stop");
    expect(await stateOf("tx-ship")).toEqual(before);
    await stopExperiment(f.ctx(f.admin), e.id, { decision: { ship: "b" }, reason: "b wins" });
    expect(await liveVersion(t.db, f, "tx-ship", "staging")).toBe(2);
  });

  it("auto-promote: no deployment without its audit row", async () => {
    const ctx = f.ctx(f.admin);
    await promptWith(t.db, f, "tx-auto", 2);
    const prompt = await getPrompt(t.db, f.projectId, "tx-auto");
    // A completed run that counts for development's gate (its dataset version and scorers), written as the
    // run executor writes one: the run and its one item's result (a gate needs every item to have run).
    const ds = await createDataset(ctx, { name: "tx-auto-items", prompt: "tx-auto" });
    await importItems(ctx, ds.id, "csv", "question\nq1\n");
    await updateEnvironment(ctx, "development", {
      evaluationGate: { dataset: "tx-auto-items", minScore: 0.5, maxDrop: 1 },
      autoPromote: { minScore: 0.5 },
    });
    const [gate] = await queryRows<{ scorers: unknown }>(
      t.db,
      sql`select gate_scorers as scorers from environments where project_id = ${f.projectId} and name = 'development'`,
    );
    const [run] = await queryRows<{ id: string }>(
      t.db,
      sql`insert into eval_runs (project_id, prompt_id, version, dataset_id, dataset_version, scorers, status, score,
                                 total, done, environment, finished_at)
          values (${f.projectId}, ${prompt.id}, 2, ${ds.id}, 1, ${JSON.stringify(gate!.scorers)}::jsonb, 'completed',
                  1, 0, 0, 'development', now())
          returning id`,
    );
    await t.db
      .execute(sql`insert into eval_run_items (run_id, item_id, repetition, position, output, score, passed, scores)
      select ${run!.id}, id, 0, position, 'answer', 1, true, '[]'::jsonb from dataset_items where dataset_id = ${ds.id}`);
    const completed = {
      id: run!.id,
      projectId: f.projectId,
      promptId: prompt.id,
      version: 2,
      datasetId: ds.id,
      status: "completed",
      score: 1,
    };
    const before = await stateOf("tx-auto");
    const err = await crashingOn("deployment.auto_promote", () => autoPromote(t.db, completed, noEvents, startRollout));
    expectCrash(err, "deployment.auto_promote");
    expect(await stateOf("tx-auto")).toEqual(before);
    const decisions = await autoPromote(t.db, completed, noEvents, startRollout);
    expect(decisions).toEqual([expect.objectContaining({ environment: "development", action: "promoted" })]);
    expect(await liveVersion(t.db, f, "tx-auto", "development")).toBe(2);
  });
});
