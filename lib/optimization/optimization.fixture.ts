// Shared by the optimization integration tests (optimization.int.test.ts, queue.int.test.ts): the prompt they
// optimize and the dataset they score it on.
import type { Fixture } from "../../test/domain-fixtures";
import { createDataset, importItems } from "../evaluation/datasets";
import { createPrompt } from "../registry/prompts";

/** A text prompt "Answer: {{question}}" by f's editor, with `config` when given. */
export const answerPrompt = (f: Fixture, name: string, config?: Record<string, unknown>) =>
  createPrompt(f.ctx(f.editor), {
    name,
    type: "text",
    template: "Answer: {{question}}",
    variables: [{ name: "question" }],
    ...(config && { config }),
  });

/** In f's project: "support" (answerPrompt on the scripted model) and its dataset "support-eval" of `rows`
 * ("question,expected" lines). */
export async function supportEval(f: Fixture, rows: string[]) {
  await answerPrompt(f, "support", { model: "scripted-model", maxTokens: 10 });
  const ds = await createDataset(f.ctx(f.editor), { name: "support-eval", prompt: "support" });
  await importItems(f.ctx(f.editor), ds.id, "csv", `question,expected\n${rows.join("\n")}\n`);
}
