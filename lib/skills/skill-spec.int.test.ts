// A skill as the Agent Skills specification has it (docs/decisions/skill-frontmatter.md): agents' own frontmatter fields are saved under
// metadata with a warning, so what is served passes the reference validator; the prompt's description is the
// frontmatter's, version by version; a version saved before the rule is released as it was, with a notice on
// its plan; a bundle holding a skill releases as one, and its gradual rollout is refused where it would split
// the skill by subject.
import { withTx } from "../context";
import { beforeAll, describe, expect, it } from "vitest";
import { failure } from "../../test/domain-fixtures";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { createBundleRollout } from "../experiments/rollouts/bundle-rollouts";
import { createPrompt, getPrompt } from "../registry/prompts";
import { skillProblems } from "../registry/skills/skill-files";
import { createVersion } from "../registry/versions";
import { createBundle, releaseBundle } from "../release/bundles/bundles";
import { planByName } from "../release/plan/plan-facts";
import { contentSchema } from "../registry/content";
import { diffContent } from "../registry/changes/diff";
import { insertVersion } from "../registry/version-rows";
import { prompts } from "../../db/schema";
import { eq } from "drizzle-orm";
import { servedSkills } from "./live-skills";

const skillMd = (description: string, extra = "") =>
  `---\nname: triage\ndescription: ${description}\n${extra}---\n# Triage\n\nSort the tickets.\n`;

withReleaseDatabase("skill-spec");
beforeAll(async () => {
  await createPrompt(f.ctx(f.editor), { name: "agent/prompt", type: "text", template: "You sort tickets." });
}, 60_000);

describe("a skill's frontmatter", () => {
  it("gives the prompt its description, on create and on every new version", async () => {
    const { prompt, warnings } = await createPrompt(f.ctx(f.editor), {
      name: "support/triage",
      type: "skill",
      description: "ignored: a skill's description is its frontmatter's",
      files: { "SKILL.md": skillMd("Sorts tickets. Use when a queue grows.") },
    });
    expect([prompt.description, warnings]).toEqual(["Sorts tickets. Use when a queue grows.", []]);
    await createVersion(f.ctx(f.editor), "support/triage", {
      type: "skill",
      files: { "SKILL.md": skillMd("Sorts and tags tickets.") },
    });
    expect((await getPrompt(t.db, f.projectId, "support/triage")).description).toBe("Sorts and tags tickets.");
  });

  it("keeps agents' own fields under metadata, says so, and serves what the specification allows", async () => {
    const { version, warnings } = await createVersion(f.ctx(f.editor), "support/triage", {
      type: "skill",
      files: { "SKILL.md": skillMd("Sorts tickets.", "disable-model-invocation: true\nversion: 1.0\n") },
    });
    expect(warnings).toEqual([expect.stringMatching(/disable-model-invocation, version are not a field .*metadata/)]);
    const files = (version.content as { files: Record<string, string> }).files;
    expect(files["SKILL.md"]).toBe(
      skillMd("Sorts tickets.", 'metadata:\n  disable-model-invocation: "true"\n  version: "1.0"\n'),
    );
    expect(skillProblems(files, "support/triage")).toEqual([]);
  });

  it("refuses what it cannot keep, naming the field and the rule", async () => {
    const e = await failure(
      createVersion(f.ctx(f.editor), "support/triage", {
        type: "skill",
        files: { "SKILL.md": skillMd("d", 'version: "2"\nmetadata:\n  version: "1"\n') },
      }),
    );
    expect([e.status, e.details?.rule, e.details?.field]).toEqual([
      422,
      "frontmatter.fields",
      'files["SKILL.md"].frontmatter.version',
    ]);
  });
});

describe("a skill version saved before the fields rule", () => {
  it("is released as it was, with a notice on its release plan naming the fields", async () => {
    const md = (extra = "") => skillMd("Sorts tickets.", extra).replace("name: triage", "name: triage-old");
    const legacy = await createPrompt(f.ctx(f.editor), {
      name: "legacy/triage-old",
      type: "skill",
      files: { "SKILL.md": md() },
    });
    // Written as a save before agents' fields moved under metadata would have: the field at the top level.
    const content = contentSchema.parse({
      type: "skill",
      files: { "SKILL.md": md("disable-model-invocation: true\n") },
    });
    await insertVersion(withTx(f.ctx(f.editor), t.db), legacy.prompt, 2, content, {
      commitMessage: "before the rule",
      baseVersion: 1,
      diff: diffContent(legacy.version.content, content),
    });
    await t.db.update(prompts).set({ latestVersion: 2 }).where(eq(prompts.id, legacy.prompt.id));
    const plan = await planByName(t.db, f.projectId, "legacy/triage-old", "staging", 2);
    expect(plan.notices).toEqual([
      {
        kind: "skill_fields",
        message: expect.stringMatching(/\(disable-model-invocation\).*A new version moves them/),
      },
    ]);
    expect((await planByName(t.db, f.projectId, "legacy/triage-old", "staging", 1)).notices).toEqual([]);
  });
});

describe("a bundle holding a skill", () => {
  beforeAll(async () => {
    await createBundle(f.ctx(f.editor), { name: "triage-agent", prompts: ["agent/prompt", "support/triage"] });
    await releaseBundle(f.ctx(f.approver), "triage-agent", {
      environment: "staging",
      versions: { "agent/prompt": 1, "support/triage": 1 },
    });
  });

  it("releases as one", async () => {
    await releaseBundle(f.ctx(f.approver), "triage-agent", {
      environment: "staging",
      versions: { "agent/prompt": 1, "support/triage": 3 },
    });
    const served = await servedSkills(t.db, f.projectId, "staging");
    expect(served.map((s) => [s.name, s.version])).toEqual([["support/triage", 3]]);
  });

  it("refuses a gradual rollout that would change the skill, saying why and what to do", async () => {
    const e = await failure(
      createBundleRollout(f.ctx(f.approver), "triage-agent", {
        environment: "staging",
        versions: { "agent/prompt": 1, "support/triage": 2 },
      }),
    );
    expect([e.status, e.details?.rule, e.details?.prompt]).toEqual([422, "bundle.skill", "support/triage"]);
    expect(e.message).toMatch(/support\/triage: it is a skill.*Release the bundle.*version 3, which staging serves/);
  });
});
