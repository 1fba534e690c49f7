// templates.get on an L1 hit, as resolve's rendered POST is answered (lib/runtime/answer.ts): the served arm read
// from resolve's cache without an await, and the answer written as text — the parts that never change for a cached
// entry (its ids and name, its tags and commit message) serialized once per entry, the rest (the template rendered
// with the request's variables, the model and llm_kwargs) stringified alone. The bytes are JSON.stringify of
// reads.ts's templateAnswer, field for field (fast-read.test.ts); anything else goes the awaited way (reads.ts).
import { chooseArm } from "../../runtime/experiment-arms";
import type { ResolvedPrompt } from "../../runtime/load";
import { peekResolved } from "../../runtime/resolve";
import { integerIdOf } from "./ids";
import { knownFacts, plModelFields, plTemplateOf, type PlReadDeps, type VersionFacts } from "./reads";
import type { PlGetBody } from "./shapes";

type Head = { projectId: string; json: string };
// `{"success":true,…,"workspace_id":…` of an entry's answers (an entry belongs to one project; checked anyway).
const heads = new WeakMap<ResolvedPrompt, Head>();
const factsJsons = new WeakMap<VersionFacts, string>();
// The unrendered template (no input_variables): a function of the entry alone.
const unrendered = new WeakMap<ResolvedPrompt, ReturnType<typeof plTemplateOf>>();

function headOf(arm: ResolvedPrompt, projectId: string): string {
  let h = heads.get(arm);
  if (!h || h.projectId !== projectId) {
    const fields = {
      success: true,
      id: integerIdOf(arm.promptId),
      prompt_name: arm.name,
      version: arm.version,
      workspace_id: integerIdOf(projectId),
    };
    heads.set(arm, (h = { projectId, json: JSON.stringify(fields).slice(0, -1) }));
  }
  return h.json;
}

function factsJson(facts: VersionFacts): string {
  let json = factsJsons.get(facts);
  if (json === undefined) {
    const fields = { commit_message: facts.commitMessage || null, tags: facts.tags };
    factsJsons.set(facts, (json = JSON.stringify(fields).slice(1, -1)));
  }
  return json;
}

function templateOf(arm: ResolvedPrompt, values: Record<string, unknown> | null) {
  if (values) return plTemplateOf(arm, values);
  let t = unrendered.get(arm);
  if (!t) unrendered.set(arm, (t = plTemplateOf(arm, null)));
  return t;
}

/** JSON.stringify(templateAnswer(arm, facts, body, projectId)), from the entry's serialized parts. */
export function templateAnswerJson(arm: ResolvedPrompt, facts: VersionFacts, body: PlGetBody, projectId: string) {
  const render = body.input_variables && !body.skip_input_variable_rendering ? body.input_variables : null;
  const template = templateOf(arm, render);
  const { metadata, llm_kwargs, warning } = plModelFields(template, arm.config, body);
  return (
    `${headOf(arm, projectId)},"prompt_template":${JSON.stringify(template)},"metadata":${JSON.stringify(metadata)},` +
    `${factsJson(facts)},"llm_kwargs":${JSON.stringify(llm_kwargs)},"snippets":[],"warning":${JSON.stringify(warning)}}`
  );
}

/**
 * templates.get's answer text when everything it needs is in memory — a release label the key may read, served
 * from L1 (an experiment's arm by its hash; a bandit's stored assignment needs I/O), the version's facts read
 * before — else undefined, and reads.ts answers it. Records the exposure of an assigned subject, as reads.ts does.
 */
export function readPromptLayerTemplateCached(
  deps: PlReadDeps,
  identifier: string,
  body: PlGetBody,
): string | undefined {
  const { runtime, projectId, allowed } = deps;
  const label = body.label;
  // Digits may be an integer id (a database read); a label the key may not read is checked against the database.
  if (!label || /^\d{1,16}$/.test(identifier) || (allowed && !allowed.includes(label))) return undefined;
  const hit = peekResolved(runtime.prompts, projectId, { name: identifier, environment: label });
  if (!hit) return undefined;
  const filters = body.metadata_filters ?? {};
  const subject = filters.subject ?? filters.user_id;
  const choice = chooseArm(hit, subject);
  if (choice === "sticky") return undefined;
  const facts = knownFacts(choice.arm);
  if (!facts) return undefined;
  if (choice.experiment && subject) runtime.exposures.record(choice.experiment, subject, Date.now());
  return templateAnswerJson(choice.arm, facts, body, projectId);
}
