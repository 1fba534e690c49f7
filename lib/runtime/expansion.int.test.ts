// The one partial-expansion check on every path that serves a prompt: a cycle that exists only in
// one environment's deployments, and an expansion bomb, are refused with 422 when saving,
// deploying, resolving, rendering and on the Langfuse route — never served, never expanded.
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { deployments, environments, promptVersions, prompts } from "../../db/schema";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { failure } from "../../test/domain-fixtures";
import { parseContent } from "../registry/content";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { getLangfusePrompt } from "../langfuse/reads";
import { loadResolved } from "./load";
import { renderResolved } from "./resolve";
import { textPrompt } from "../../test/contents";

withReleaseDatabase("expansion");

/** Writes a deployment row directly, as data from before these checks existed would be. */
async function legacyDeploy(name: string, environment: string, version: number) {
  const prompt = await getPrompt(t.db, f.projectId, name);
  const [env] = await t.db.select().from(environments).where(eq(environments.name, environment));
  await t.db
    .insert(deployments)
    .values({ promptId: prompt.id, environmentId: env!.id, version, action: "promote", actorLabel: "legacy" });
}

/** Inserts a version directly (bypassing the save-time checks), as a legacy row would be. */
async function legacyVersion(name: string, template: string) {
  const prompt = await getPrompt(t.db, f.projectId, name);
  await t.db.insert(promptVersions).values({
    promptId: prompt.id,
    version: prompt.latestVersion + 1,
    content: parseContent({ type: "text", template }),
    authorLabel: "legacy",
  });
  await t.db
    .update(prompts)
    .set({ latestVersion: prompt.latestVersion + 1 })
    .where(eq(prompts.id, prompt.id));
}

describe("a cycle in one environment only", () => {
  beforeAll(async () => {
    await createPrompt(f.ctx(f.editor), { name: "cyc5/b", type: "text", template: "b1" });
    await createPrompt(f.ctx(f.editor), { name: "cyc5/a", type: "text", template: "a1 {{> cyc5/b}}" });
    await createVersion(f.ctx(f.editor), "cyc5/a", { template: "a2 plain" });
    await createVersion(f.ctx(f.editor), "cyc5/b", { template: "b2 {{> cyc5/a}}" });
    await legacyDeploy("cyc5/a", "production", 1);
    await legacyDeploy("cyc5/b", "production", 2);
  });

  it("GET resolve refuses it instead of serving it", async () => {
    const err = await failure(loadResolved(t.db, f.projectId, "cyc5/a", "production"));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe("Partial cycle: cyc5/a → cyc5/b → cyc5/a");
  });

  it("reports the cycle from either end (not 'cyc5/a does not exist')", async () => {
    expect((await failure(loadResolved(t.db, f.projectId, "cyc5/b", "production"))).message).toBe(
      "Partial cycle: cyc5/b → cyc5/a → cyc5/b",
    );
  });

  it("the Langfuse route refuses it too, instead of duplicating text", async () => {
    expect((await failure(getLangfusePrompt(t.db, f.projectId, "cyc5/a", { label: "production" }))).message).toBe(
      "Partial cycle: cyc5/a → cyc5/b → cyc5/a",
    );
  });

  it("other environments are unaffected", async () => {
    await promoteVersion(f.ctx(f.editor), "cyc5/b", { environment: "development", version: 2 });
    await promoteVersion(f.ctx(f.editor), "cyc5/a", { environment: "development", version: 2 });
    const r = await loadResolved(t.db, f.projectId, "cyc5/b", "development");
    expect(renderResolved(r, {}).rendered).toBe("b2 a2 plain");
  });
});

describe("an expansion bomb", () => {
  const levels = 9;
  const fanOut = 7;
  const template = (i: number) =>
    i === levels - 1
      ? "lorem ipsum dolor sit amet"
      : Array.from({ length: fanOut }, () => `{{> bomb/p${i + 1}}}`).join(" ");

  it("is refused when saved, with a 422 naming where it explodes; nothing is written", async () => {
    for (let i = levels - 1; i >= 3; i--)
      await createPrompt(f.ctx(f.editor), { name: `bomb/p${i}`, type: "text", template: template(i) });
    // p3 expands to about 720,000 characters; p2 would be seven times that.
    const err = await failure(createPrompt(f.ctx(f.editor), { name: "bomb/p2", type: "text", template: template(2) }));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe(
      "Partials expand this prompt to more than 1,000,000 characters (bomb/p2 includes bomb/p3 7 times). Include large or repeated text fewer times.",
    );
    expect(await failure(getPrompt(t.db, f.projectId, "bomb/p2")).then((e) => e.code)).toBe("not_found");
  });

  it("legacy data that already holds one is refused on every serving path, without expanding it", async () => {
    for (const i of [2, 1, 0]) {
      await createPrompt(f.ctx(f.editor), { name: `bomb/p${i}`, type: "text", template: "placeholder" });
      await legacyVersion(`bomb/p${i}`, template(i));
    }
    for (let i = 0; i < levels; i++) await legacyDeploy(`bomb/p${i}`, "staging", i <= 2 ? 2 : 1);
    const err = await failure(loadResolved(t.db, f.projectId, "bomb/p0", "staging"));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toMatch(/to more than 1,000,000 characters/);
    expect((await failure(getLangfusePrompt(t.db, f.projectId, "bomb/p0", { label: "staging" }))).code).toBe(
      "unprocessable",
    );
  });

  it("a section repeating a large partial over a long list stops at the render budget", async () => {
    await createPrompt(f.ctx(f.editor), { name: "big/para", type: "text", template: "x".repeat(50_000) });
    await createPrompt(
      f.ctx(f.editor),
      textPrompt("big/list", "{{#items}}{{> big/para}}{{/items}}", { variables: [{ name: "items", type: "json" }] }),
    );
    await promoteVersion(f.ctx(f.editor), "big/para", { environment: "development", version: 1 });
    await promoteVersion(f.ctx(f.editor), "big/list", { environment: "development", version: 1 });
    const r = await loadResolved(t.db, f.projectId, "big/list", "development");
    expect(renderResolved(r, { items: [1, 2, 3] }).rendered).toHaveLength(150_000);
    const err = (() => {
      try {
        renderResolved(r, { items: Array.from({ length: 1000 }, (_, i) => i) });
      } catch (e) {
        return e as { code: string; message: string };
      }
    })();
    expect(err?.code).toBe("unprocessable");
    expect(err?.message).toMatch(/longer than 2,000,000 characters/);
  });
});
