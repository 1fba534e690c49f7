// The writes whose environments the request's content names — PromptLayer's release_labels, Langfuse's labels (and
// LangSmith's tags, hub.int.test.ts; a foreign import's labels, import/import.int.test.ts) — cannot declare the
// protected environment's rule on their endpoint: `assertMayDeployInto` (lib/release/promote.ts), the one check lib
// keeps, refuses an editor's move into a protected environment, and nothing of the write is kept.
import { describe, expect, it } from "vitest";
import { code, failure, projectDatabaseForFile, type Fixture } from "../../test/domain-fixtures";
import type { TestDatabase } from "../../test/db";
import { createLangfusePrompt } from "../langfuse/writes";
import { findPrompt } from "../registry/prompts";
import { loadResolved } from "../runtime/load";
import { publishPromptLayerTemplate } from "./promptlayer/publish";

let t: TestDatabase;
let f: Fixture;
projectDatabaseForFile("deploy-labels", (db, fx) => {
  t = db;
  f = fx;
});

const publish = (labels: string[], name: string) => {
  const template = { type: "completion" as const, content: [{ type: "text" as const, text: "Hi there" }] };
  return publishPromptLayerTemplate(f.ctx(f.editor), {
    prompt_template: { prompt_name: name },
    prompt_version: { prompt_template: template },
    release_labels: labels,
  } as never);
};
const langfuse = (labels: string[], name: string) =>
  createLangfusePrompt(f.ctx(f.editor), {
    name,
    type: "text",
    prompt: "Hi there",
    config: {},
    labels,
    tags: undefined,
  });

describe("an editor's write that names a protected environment", () => {
  it.each([
    ["PromptLayer: release_labels [production] is refused and writes nothing; [staging] deploys", publish, "pl-editor"],
    ["Langfuse: labels [production] are refused and write nothing; [staging] deploys", langfuse, "lf-editor"],
  ])("%s", async (_, write, name) => {
    const refused = await failure(write(["production"], name));
    expect([refused.code, refused.details?.action]).toEqual(["forbidden", "deploy.protected"]);
    expect(await findPrompt(t.db, f.projectId, name)).toBeUndefined();
    await write(["staging"], name);
    expect((await loadResolved(t.db, f.projectId, name, "staging")).version).toBe(1);
    expect(await code(loadResolved(t.db, f.projectId, name, "production"))).not.toBe("ok");
  });
});
