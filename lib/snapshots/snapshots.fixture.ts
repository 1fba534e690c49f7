// Shared setup of the snapshot integration tests (snapshot-export, snapshot-import): a source project
// with environments, rules, prompts, versions and deployments, and how to compare what two projects
// serve. Call setUpSnapshots() at the top of a test file; the bindings below are live, set by its hooks.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect } from "vitest";
import { prompts } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { count, seedProject, type Fixture } from "../../test/domain-fixtures";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { rollbackPrompt } from "../release/rollback";
import { createEnvironment, updateEnvironment } from "../release/environments";
import { loadResolved } from "../runtime/load";
import { textPrompt } from "../../test/contents";

export let t: TestDatabase;
export let src: Fixture;

export const tables = ["prompts", "prompt_versions", "deployments", "audit_log"] as const;
export const counts = async () =>
  Object.fromEntries(await Promise.all(tables.map(async (n) => [n, await count(t.db, n)] as const))) as Record<
    (typeof tables)[number],
    number
  >;

/** What an application would get, minus what legitimately differs between instances (ids, etag). */
export async function served(fx: Fixture, name: string, environment: string, at?: Date) {
  try {
    const { promptId: _id, etag: _etag, ...rest } = await loadResolved(t.db, fx.projectId, name, environment, { at });
    return rest;
  } catch (e) {
    return { error: (e as { code?: string }).code };
  }
}

export const names = ["shared/tone", "reply", "summary", "old"];
export const envs = ["development", "staging", "production", "qa"];

export async function sameAnswers(a: Fixture, b: Fixture, at?: Date) {
  for (const n of names)
    for (const e of envs) expect(await served(b, n, e, at), `${n} in ${e}`).toEqual(await served(a, n, e, at));
}

export function setUpSnapshots() {
  beforeAll(async () => {
    t = await createTestDatabase();
    src = await seedProject(t.db, "source");
    const ed = src.ctx(src.editor);
    const ap = src.ctx(src.approver);
    await createEnvironment(src.ctx(src.admin), { name: "qa", protected: false, requiresLiveIn: "staging" });
    await updateEnvironment(src.ctx(src.admin), "production", { requiresLiveIn: "staging" });
    await createPrompt(
      ed,
      textPrompt("shared/tone", "Be {{mood}}.", { variables: [{ name: "mood", default: "kind" }] }),
    );
    await createPrompt(ed, {
      name: "reply",
      description: "Answers a ticket",
      tags: ["support", "email"],
      type: "chat",
      template: [
        { role: "system", content: "{{> shared/tone}}\nYou help — ünïcode ✓." },
        { role: "user", content: "{{question}}" },
      ],
      variables: [{ name: "question", description: "what they asked" }],
      config: { model: "gpt-4o", temperature: 0.2, seed: 7 },
      examples: [{ input: { question: "hi" }, output: "hello" }],
    });
    await createVersion(ed, "reply", {
      template: [{ role: "user", content: "{{question}}?" }],
      commitMessage: "shorter",
    });
    await createVersion(ed, "reply", {
      template: [{ role: "user", content: "Q: {{question}}" }],
      commitMessage: "prefix",
    });
    await createPrompt(ed, textPrompt("summary", "Sum up {{text}}", { variables: [{ name: "text" }] }));
    await createPrompt(ed, { name: "old", type: "text", template: "gone" });
    for (const [name, env, version] of [
      ["shared/tone", "staging", 1],
      ["shared/tone", "production", 1],
      ["reply", "staging", 1],
      ["reply", "production", 1],
      ["reply", "staging", 2],
      ["reply", "production", 2],
      ["reply", "staging", 3],
      ["summary", "development", 1],
      ["old", "staging", 1],
    ] as const)
      await promoteVersion(ap, name, { environment: env, version, reason: `ship ${version}` });
    await rollbackPrompt(ap, "reply", { environment: "production" });
    await t.db.update(prompts).set({ deletedAt: new Date() }).where(eq(prompts.name, "old"));
  });
  afterAll(async () => t.drop());
}
