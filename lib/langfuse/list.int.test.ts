// Langfuse's prompt list over every kind of prompt Lectern keeps: a skill reads as the text prompt its get
// answers (its SKILL.md), so the list never names a type Langfuse's clients do not know.
import { describe, expect, it } from "vitest";
import { f, t, withLangfuseImport } from "../../test/langfuse-import-fixture";
import { createPrompt } from "../registry/prompts";
import { langfuseListQuery } from "./mapping";
import { listLangfusePrompts } from "./reads";
import { langfuseListResponse } from "./response";

withLangfuseImport("langfuse-list");

describe("Langfuse's prompt list", () => {
  it("lists a skill as a text prompt, within its response schema", async () => {
    const md = "---\nname: listed-skill\ndescription: Is listed.\n---\nSteps.\n";
    await createPrompt(f.ctx(f.admin), { name: "kit/listed-skill", type: "skill", files: { "SKILL.md": md } });
    await createPrompt(f.ctx(f.admin), { name: "kit/plain", type: "text", template: "Hi" });
    const listed = await listLangfusePrompts(t.db, f.projectId, langfuseListQuery.parse({}));
    expect(listed.data.map((p) => [p.name, p.type])).toEqual([
      ["kit/listed-skill", "text"],
      ["kit/plain", "text"],
    ]);
    expect(langfuseListResponse.safeParse(listed).success).toBe(true);
  });
});
