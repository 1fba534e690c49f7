"use server";

import { z } from "zod";
import { addItemsFromSamples, addSamplesInput } from "@/lib/evaluation/datasets";
import { listOnlineSamples } from "@/lib/evaluation/online/rule-reads";
import {
  deleteOnlineEvaluation,
  deleteOnlineRuleInput,
  parseOnlineRuleInput,
  putOnlineEvaluation,
} from "@/lib/evaluation/online/rules";
import { listSamplesInput } from "@/lib/evaluation/online/scoring";
import { actionFrom, projectAction } from "@/lib/server/actions/action";
import { refreshing } from "../../_action-bodies";
import * as evaluation from "@/lib/server/http/endpoints/evaluation";

// Online evaluation of one prompt: thin callers of lib/evaluation/online (the domain checks the input; the
// permission is the endpoint's, checked once by the action).
// The inputs are the API's, plus what the API takes from the path (the prompt's name, the dataset).

const name = z.string().min(1).max(255);

/**
 * Creates or replaces the rule, as PUT does, answering what PUT answers: parsed once, by the endpoint's own parser
 * (its `body`), which names a bad field (422 → the form shows it); putOnlineEvaluation takes the parsed rule as it is.
 */
export const saveOnlineRuleAction = actionFrom(
  evaluation.putOnlineEvaluation,
  z.object({ name, rule: z.record(z.string(), z.unknown()) }),
  refreshing((c, input) => putOnlineEvaluation(c.domain, input.name, parseOnlineRuleInput(input.rule))),
);

export const deleteOnlineRuleAction = actionFrom(
  evaluation.deleteOnlineEvaluation,
  deleteOnlineRuleInput.extend({ name }),
  // REST answers 204: nothing.
  refreshing(async (c, input) => {
    await deleteOnlineEvaluation(c.domain, input.name, input.environment);
  }),
);

/** A page of one version's scored outputs, newest first (the page names the version and shows 20 at a time). */
export const listSamplesAction = actionFrom(
  evaluation.listOnlineSamples,
  listSamplesInput.omit({ limit: true }).required({ version: true }).extend({ name }),
  async (c, input) => listOnlineSamples(c.db, c.project.id, input.name, { ...input, limit: 20 }),
);

/** Copies scored production outputs into a dataset (output → expected), as one new dataset version. */
export const addSamplesToDatasetAction = projectAction(
  "evaluation.run",
  addSamplesInput.extend({ dataset: z.string().min(1).max(100) }),
  refreshing(async (c, input) => {
    const r = await addItemsFromSamples(c.domain, input.dataset, input.sampleIds);
    return { added: r.added, version: r.version };
  }),
);
