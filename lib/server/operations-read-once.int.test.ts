// Reads of the same row happen once per request: each main write operation (named by its REST operationId, whose
// route calls the domain function below) runs once on a seeded project with every statement it sends recorded
// (test/query-recorder.ts), and no SELECT may be sent twice with the same text and parameters. An operation
// that must read a row again (under a lock the first read did not hold) names it in `allowed`, with why.
import { describe, expect, it } from "vitest";
import { onlineEvalRules, onlineSamples } from "../../db/schema";
import { noEvents } from "../announcements";
import { createApiKey, revokeApiKey } from "../auth/api-keys";
import type { Actor } from "../auth/permissions";
import { projectContext, type DomainContext } from "../context";
import { createDataset } from "../evaluation/datasets/datasets";
import { createAnnotation } from "../evaluation/online/annotations";
import { addUploadedItems } from "../evaluation/datasets/upload";
import { setExperimentWeights, startExperiment, stopExperiment } from "../experiments/lifecycle";
import { actOnRollout } from "../experiments/rollouts/rollout-control";
import { startRollout } from "../experiments/rollouts/rollouts";
import { createExperiment } from "../experiments/store";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { createBundle, releaseBundle } from "../release/bundles/bundles";
import { createDraft, mergeDraft, updateDraft } from "../release/drafts/drafts";
import { promoteVersion } from "../release/promote";
import { getEnvironmentRow } from "../release/environments";
import { decideReview, requestReview } from "../release/reviews/reviews";
import { setVersionLabel } from "../release/version-labels/version-labels";
import { rollbackPrompt } from "../release/rollback";
import { projectDatabaseForFile, promptWith, type Fixture } from "../../test/domain-fixtures";
import type { TestDatabase } from "../../test/db";
import { queryRecorder, repeatedSelects, type AllowedRepeat, type QueryRecorder } from "../../test/query-recorder";
import { step } from "../../test/rollout-steps";
import { checkResource } from "./http/endpoint";
import * as deployments from "./http/endpoints/deployments";
import * as rollouts from "./http/endpoints/rollouts";

let t: TestDatabase;
let f: Fixture;
let recorder: QueryRecorder;
projectDatabaseForFile("read-once", async (db, fx) => {
  t = db;
  f = fx;
  recorder = await queryRecorder(db);
});

/** Runs `op` as `actor` on the recording handle; answers the SELECTs it repeated (none allowed unless named). */
async function repeatsOf(actor: Actor, op: (ctx: DomainContext) => Promise<unknown>, allowed: AllowedRepeat[] = []) {
  const ctx = projectContext(recorder.db, actor, f.projectId, noEvents);
  const { queries } = await recorder.record(() => op(ctx));
  expect(queries.length).toBeGreaterThan(0);
  return repeatedSelects(queries, allowed);
}

/**
 * An experiment (its row, arms and phases: getExperiment) read before a start or a rollout's move and once more after
 * it commits: the second read is of the row as the operation changed it (status, phase, rollout state, the new
 * phase), which the answer and the announcement carry; the results' refresh and the guardrails' reading take the
 * rows already read (refreshAfterChange's and rolloutReadings' `experiment`).
 */
const experimentAfterCommit: AllowedRepeat[] = [
  /from "experiments" inner join "prompts"/,
  /from "experiment_variants" where/,
  /from "experiment_phases" where/,
].map((query) => ({ query, times: 2, why: "the experiment as its own change committed it" }));

/**
 * A bundle's release reads the bundle and its members before its transaction and again under the bundle's share lock
 * (the members as of the lock: a change of members waits, or came first). Each member's promotion then checks its
 * plan again inside deploy(): after the members before it were deployed in the same transaction, its facts may have
 * changed (its gate renders the partials the environment now serves, another member's new version among them). For
 * the first member nothing it reads has changed: that second plan is a repeat left to do (reported, not hidden: each
 * plan query may come twice, never three times).
 */
const bundleReads: AllowedRepeat[] = [
  ...[/from "bundles" where/, /from "bundle_members" inner join "prompts"/].map((query) => ({
    query,
    times: 2,
    why: "re-read under the bundle's share lock",
  })),
  ...[
    /from "deployments" where \("deployments"."prompt_id" = \$1 and "deployments"."environment_id" = \$2\) order by/,
    /^select "content" from "prompt_versions"/,
    /^select distinct "environments"."name" from "deployments"/,
    /from "review_requests" left join "users"/,
    /^select "id", "name" from "experiments" where/,
    /lag\(version\) over/,
    /^select e.stopped_at/,
    /^with recursive reach/,
    /^select p.id, p.name, d.version, v.content from prompts p join lateral/,
  ].map((query) => ({ query, times: 2, why: "a member's plan checked again by its promotion (left for the first)" })),
];

const served = async (name: string, versions: number, environment = "staging") => {
  await promptWith(t.db, f, name, versions);
  await promoteVersion(f.ctx(f.approver), name, { environment, version: 1 });
};

describe("each write operation reads a row once", () => {
  it("createPrompt", async () => {
    expect
      .soft(await repeatsOf(f.editor, (c) => createPrompt(c, { name: "ro-new", type: "text", template: "hi" })))
      .toEqual([]);
  });

  it("createVersion", async () => {
    await promptWith(t.db, f, "ro-version", 1);
    expect.soft(await repeatsOf(f.editor, (c) => createVersion(c, "ro-version", { template: "v2" }))).toEqual([]);
  });

  it("promoteVersion, after its endpoint's resource rule as the wrapper runs them", async () => {
    await promptWith(t.db, f, "ro-promote", 2);
    const input = { environment: "staging", version: 2 };
    const routed = async (c: DomainContext) => {
      await checkResource(deployments.promoteVersion, c, { name: "ro-promote", ...input });
      return promoteVersion(c, "ro-promote", input);
    };
    expect.soft(await repeatsOf(f.approver, routed)).toEqual([]);
  });

  it("rollbackPrompt", async () => {
    await served("ro-rollback", 2);
    await promoteVersion(f.ctx(f.approver), "ro-rollback", { environment: "staging", version: 2 });
    expect
      .soft(await repeatsOf(f.approver, (c) => rollbackPrompt(c, "ro-rollback", { environment: "staging" })))
      .toEqual([]);
  });

  it("startRollout, then advanceRollout, pauseRollout, resumeRollout and rollbackRollout", async () => {
    await served("ro-rollout", 2);
    let id = "";
    const steps = [step(10), step(50), step(100)];
    expect
      .soft(
        await repeatsOf(f.approver, async (c) => {
          const input = { environment: "staging", version: 2, steps };
          await checkResource(rollouts.startRollout, c, { name: "ro-rollout", ...input });
          id = (await startRollout(c, "ro-rollout", input)).id;
        }),
      )
      .toEqual([]);
    for (const action of ["advance", "pause", "resume", "rollback"] as const) {
      const move = (c: DomainContext) => actOnRollout(c, id, action, { reason: `${action}: read once` });
      expect.soft(await repeatsOf(f.approver, move, experimentAfterCommit), action).toEqual([]);
    }
  });

  it("createBundle and releaseBundle", async () => {
    await promptWith(t.db, f, "ro-bundle/a", 2);
    await promptWith(t.db, f, "ro-bundle/b", 2);
    const prompts = ["ro-bundle/a", "ro-bundle/b"];
    expect.soft(await repeatsOf(f.editor, (c) => createBundle(c, { name: "ro-bundle", prompts }))).toEqual([]);
    const versions = { "ro-bundle/a": 2, "ro-bundle/b": 2 };
    expect
      .soft(
        await repeatsOf(
          f.approver,
          (c) => releaseBundle(c, "ro-bundle", { environment: "staging", versions }),
          bundleReads,
        ),
      )
      .toEqual([]);
  });

  it("createExperiment and startExperiment", async () => {
    await served("ro-experiment", 2);
    const input = {
      prompt: "ro-experiment",
      environment: "staging",
      name: "ro",
      variants: [
        { key: "A", version: 1, weight: 0.5 },
        { key: "B", version: 2, weight: 0.5 },
      ],
      mode: "sequential" as const,
      primaryMetric: { name: "thumbs", kind: "binary" as const },
    };
    let id = "";
    expect
      .soft(
        await repeatsOf(f.approver, async (c) => {
          id = (await createExperiment(c, input)).id;
        }),
      )
      .toEqual([]);
    expect.soft(await repeatsOf(f.approver, (c) => startExperiment(c, id), experimentAfterCommit)).toEqual([]);
    const weights = { weights: { A: 0.3, B: 0.7 }, reason: "more on B" };
    expect
      .soft(await repeatsOf(f.approver, (c) => setExperimentWeights(c, id, weights), experimentAfterCommit))
      .toEqual([]);
    expect
      .soft(
        await repeatsOf(
          f.approver,
          (c) => stopExperiment(c, id, { decision: { ship: "B" }, reason: "ship it" }),
          experimentAfterCommit,
        ),
      )
      .toEqual([]);
  });

  it("requestReview and decideReview (approve, which deploys)", async () => {
    await promptWith(t.db, f, "ro-review", 2);
    let id = "";
    expect
      .soft(
        await repeatsOf(f.editor, async (c) => {
          id = (await requestReview(c, "ro-review", { version: 2, environment: "production" })).id;
        }),
      )
      .toEqual([]);
    expect.soft(await repeatsOf(f.approver, (c) => decideReview(c, id, { decision: "approve" }))).toEqual([]);
  });

  it("createDraft, updateDraft and mergeDraft (three-way)", async () => {
    await promptWith(t.db, f, "ro-draft", 1);
    let id = "";
    expect
      .soft(
        await repeatsOf(f.editor, async (c) => {
          id = (await createDraft(c, "ro-draft", { name: "mine" })).id;
        }),
      )
      .toEqual([]);
    expect
      .soft(await repeatsOf(f.editor, (c) => updateDraft(c, id, { content: { type: "text", template: "draft\nv1" } })))
      .toEqual([]);
    await createVersion(f.ctx(f.editor2), "ro-draft", { template: "v1\ntheirs" });
    expect.soft(await repeatsOf(f.editor, (c) => mergeDraft(c, id, {}))).toEqual([]);
  });

  it("createDataset and addDatasetItems", async () => {
    await promptWith(t.db, f, "ro-dataset", 1);
    let id = "";
    expect
      .soft(
        await repeatsOf(f.editor, async (c) => {
          id = (await createDataset(c, { name: "ro-items", prompt: "ro-dataset" })).id;
        }),
      )
      .toEqual([]);
    const body = JSON.stringify({ items: [{ input: { q: "a" } }, { input: { q: "b" } }] });
    expect
      .soft(
        await repeatsOf(f.editor, (c) =>
          addUploadedItems(c, id, { contentType: "application/json", read: async () => body }),
        ),
      )
      .toEqual([]);
  });

  it("createAnnotation", async () => {
    await promptWith(t.db, f, "ro-annotate", 1);
    const prompt = await getPrompt(t.db, f.projectId, "ro-annotate");
    const env = await getEnvironmentRow(t.db, f.projectId, "staging");
    const [rule] = await t.db
      .insert(onlineEvalRules)
      .values({
        projectId: f.projectId,
        promptId: prompt.id,
        environmentId: env.id,
        sampleRate: 1,
        scorers: [],
        signals: [],
        window: 10,
        minSamples: 2,
        alpha: 0.05,
        rollback: { enabled: false, maxDrop: 0.1, cooldownMinutes: 60 },
      })
      .returning();
    const [sample] = await t.db
      .insert(onlineSamples)
      .values({
        projectId: f.projectId,
        ruleId: rule!.id,
        eventId: "ro-1",
        promptId: prompt.id,
        version: 1,
        environment: "staging",
        output: "an answer",
        at: new Date(),
      })
      .returning();
    expect
      .soft(await repeatsOf(f.editor, (c) => createAnnotation(c, { sampleId: sample!.id, label: "pass" })))
      .toEqual([]);
  });

  it("setVersionLabel", async () => {
    await promptWith(t.db, f, "ro-label", 2);
    expect.soft(await repeatsOf(f.editor, (c) => setVersionLabel(c, "ro-label", "candidate", 2))).toEqual([]);
  });

  it("revokeApiKey", async () => {
    const key = await createApiKey(f.ctx(f.admin), { name: "ro-key", scope: "runtime" });
    expect.soft(await repeatsOf(f.admin, (c) => revokeApiKey(c, key.id))).toEqual([]);
  });
});
