"use server";

import { z } from "zod";
import { versionNumber } from "@/lib/number-params";
import { releasePreview } from "@/lib/views/release-preview";
import { breakingKeys, bundleReviewPlans } from "@/lib/release/bundles/bundle-review-plans";
import type { DeployOutcome } from "@/lib/release/deployments";
import { decidedReviewDto, deployOutcomeDto, draftDto, requestedReviewDto } from "@/lib/release/dto";
import { promoteVersion, promoteInput } from "@/lib/release/promote";
import { rollbackPrompt, rollbackInput } from "@/lib/release/rollback";
import { createDraft, createDraftInput } from "@/lib/release/drafts/drafts";
import {
  cancelReview,
  decideReview,
  decideReviewInput,
  requestReview,
  requestReviewInput,
} from "@/lib/release/reviews/reviews";
import { addPromptComment, addCommentInput } from "@/lib/release/reviews/comments";
import { playgroundInput, runPromptPlayground } from "@/lib/evaluation/playground";
import { createEvalRun, createRunInput, parseCreateRunInput, queuedRunDto } from "@/lib/evaluation/runs";
import { startRollout, createRolloutInput } from "@/lib/experiments/rollouts/rollouts";
import { actOnRollout, rolloutActions, rolloutAdvanceInput } from "@/lib/experiments/rollouts/rollout-control";
import { actionFrom, projectAction, type ActionContext } from "@/lib/server/actions/action";
import { keyed, refreshProject as refresh } from "../../_action-bodies";
import * as registry from "@/lib/server/http/endpoints/registry";
import * as deployments from "@/lib/server/http/endpoints/deployments";
import * as release from "@/lib/server/http/endpoints/release";
import * as rolloutsEndpoints from "@/lib/server/http/endpoints/rollouts";
import * as evalRuns from "@/lib/server/http/endpoints/eval-runs";
import * as versionLabels from "@/lib/server/http/endpoints/version-labels";
import { removeVersionLabel, setVersionLabel } from "@/lib/release/version-labels/version-labels";
import { setVersionLabelInput } from "@/lib/release/version-labels/version-label-dto";
import { releasePlanQuery, getVersionReleasePlan } from "@/lib/views/prompt-reads";
import { runStart } from "@/lib/server/wiring/evaluation-wiring";
import { callerResolver } from "@/lib/server/wiring/models-wiring";
import { reviewCancel } from "@/lib/server/http/endpoints/resource-rules";

// Release actions on one prompt. Each is a thin caller of one lib/release operation, with the same
// arguments the REST API passes: the domain checks roles and the release plan, inside its lock. The
// input schemas are the API's (lib), plus the prompt's name, which the API takes from the path.

/** A prompt by its name, as the path of an API route names it (checked by the lookup, not here). */
const name = z.string().min(1).max(255);
/** A version of the prompt in an environment: the release-plan route's query, its path's version and name. */
const versionIn = releasePlanQuery.extend({ name, version: versionNumber() });
/** The moves on a rollout, one endpoint each (they declare one permission). */
const rolloutMoves = [
  rolloutsEndpoints.pauseRollout,
  rolloutsEndpoints.resumeRollout,
  rolloutsEndpoints.advanceRollout,
  rolloutsEndpoints.rollbackRollout,
] as const;

/** What version n still needs before the environment may serve it (lib/release/plan/plan.ts). */
export const releasePlanAction = actionFrom(registry.getVersionReleasePlan, versionIn, async (c, input) =>
  getVersionReleasePlan(c.db, c.project.id, input.name, String(input.version), input.environment),
);

/**
 * What would go live: the environment's current version, the diff from it to `version`, which of the
 * changes break the applications using that environment, and the version's release plan there.
 */
export const releasePreviewAction = projectAction("prompt.read", versionIn, async (c, input) =>
  releasePreview(c.db, c.project.id, input.name, input.environment, input.version),
);

/** What a promotion or rollback did, as the API says it: the deployment, or the live one with `unchanged: true`. */
const outcome = (c: ActionContext, environment: string, d: DeployOutcome) => {
  if (d.status === "deployed") refresh(c);
  return deployOutcomeDto(d, environment);
};

/** Promotes (lib/release/promote.ts): the plan applies, breaking changes only with the keys the person confirmed. */
export const promoteAction = actionFrom(
  deployments.promoteVersion, // its resource rule: a protected environment needs deploy.protected
  promoteInput.extend({ name }),
  async (c, { name: prompt, ...input }) => outcome(c, input.environment, await promoteVersion(c.domain, prompt, input)),
);

export const rollbackAction = actionFrom(
  deployments.rollbackPrompt,
  rollbackInput.extend({ name }),
  async (c, { name: prompt, ...input }) => outcome(c, input.environment, await rollbackPrompt(c.domain, prompt, input)),
);

export const requestReviewAction = actionFrom(
  release.requestReview,
  requestReviewInput.extend({ name }),
  async (c, { name: prompt, ...input }) => {
    const r = await requestReview(c.domain, prompt, input);
    refresh(c);
    return requestedReviewDto(r, { prompt, environment: input.environment });
  },
);

/** Decides a review; an approval that deploys checks the plan, with the breaking changes the approver confirmed. */
export const decideReviewAction = actionFrom(
  release.decideReview,
  decideReviewInput.extend({ id: z.string() }),
  async (c, { id, ...input }) => {
    const r = await decideReview(c.domain, id, input);
    refresh(c);
    return decidedReviewDto(r);
  },
);

/** A bundle review's breaking changes member by member, from their plans (the review dialog's list and keys). */
export const bundleReviewPlansAction = projectAction("prompt.read", z.object({ id: z.string() }), async (c, input) => {
  const r = await bundleReviewPlans(c.db, c.project.id, input.id);
  return { environment: r.environment, breaking: r.breaking, keys: breakingKeys(r.breaking) };
});

/** Any member may cancel their own request; someone else's needs "review.decide" (the rule checks who requested it). */
export const cancelReviewAction = projectAction(
  { permission: "prompt.read", resource: reviewCancel },
  z.object({ id: z.string() }),
  async (c, input) => {
    await cancelReview(c.domain, input.id);
    refresh(c);
    return { cancelled: true };
  },
);

/** A draft's own name is `name` here (the API's input); the prompt's is `prompt`. */
export const createDraftAction = actionFrom(
  release.createDraft,
  createDraftInput.extend({ prompt: name }),
  keyed("prompt", createDraft, (d) => draftDto(d)),
);

/** Runs a version once with the typed variables through the project's connection (the playground). */
export const runPlaygroundAction = actionFrom(
  registry.runPromptPlayground,
  playgroundInput.extend({ name }),
  async (c, { name: prompt, ...input }) => runPromptPlayground(c.domain, prompt, input, callerResolver()),
);

/** The partial versions a dependent's gate run renders with (the candidate partial: createRunInput.partials). */
const gatePartials = createRunInput.shape.partials;

/** Runs the evaluation an environment's gate asks for: its dataset, items, scorers and partials. */
export const runGateEvaluationAction = actionFrom(
  evalRuns.createEvalRun,
  versionIn.extend({ partials: gatePartials }),
  async (c, input) => {
    const run = await createEvalRun(
      c.domain,
      parseCreateRunInput({
        prompt: input.name,
        version: input.version,
        gate: input.environment,
        partials: input.partials,
      }),
      runStart(),
    );
    refresh(c);
    return queuedRunDto(run);
  },
);

/** Comments on a version, or in a review's discussion (the input is the API's, plus the prompt's name). */
export const addCommentAction = actionFrom(
  registry.addPromptComment,
  addCommentInput.extend({ name }),
  keyed("name", addPromptComment, (comment) => comment),
);

/**
 * Starts a guarded rollout of a version in an environment (lib/experiments/rollouts/rollouts.ts): the release plan
 * must be met as for a promotion, and nothing else may split the prompt's traffic there.
 */
export const startRolloutAction = actionFrom(
  rolloutsEndpoints.startRollout,
  createRolloutInput.extend({ name }),
  keyed("name", startRollout, (rollout) => ({ rollout })),
);

/**
 * A person's move on a rollout, with their reason: pause, resume, advance now, roll back now (rollout-control.ts).
 * A bundle's rollout too: a move on any member moves the whole group.
 */
export const rolloutControlAction = actionFrom(
  rolloutMoves, // their resource rule: the rollout's environment's
  rolloutAdvanceInput.extend({ id: z.string().min(1).max(64), action: z.enum(rolloutActions) }),
  async (c, { id, action, ...input }) => {
    const rollout = await actOnRollout(c.domain, id, action, input);
    refresh(c);
    return { rollout };
  },
);

/** Points a version label at a version (lib/release/version-labels/version-labels.ts): the permission to edit the prompt, no release rules. */
export const setVersionLabelAction = actionFrom(
  versionLabels.setVersionLabel,
  setVersionLabelInput.extend({ name, label: z.string().max(64) }),
  async (c, { name: prompt, label, version }) => {
    const r = await setVersionLabel(c.domain, prompt, label, version);
    if (r.status === "set") refresh(c);
    return r;
  },
);

export const removeVersionLabelAction = actionFrom(
  versionLabels.removeVersionLabel,
  z.object({ name, label: z.string().max(64) }),
  async (c, { name: prompt, label }) => {
    const r = await removeVersionLabel(c.domain, prompt, label);
    refresh(c);
    return r;
  },
);
