// A skill among the rest: included in a prompt it cannot go live where it would break it, and the
// partials its body includes make that prompt their dependent; it is not split by subject (experiments, guarded
// rollouts); it is released in a bundle and carried by snapshots, whose import checks its rules.
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { base } from "../../test/experiments-fixture";
import { failure, seedProject } from "../../test/domain-fixtures";
import { createExperiment } from "../experiments/store";
import { startRollout } from "../experiments/rollouts/rollouts";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { createBundle, releaseBundle } from "../release/bundles/bundles";
import { listPromptDependents } from "../release/dependents";
import { promoteVersion } from "../release/promote";
import { resolveBundle } from "../runtime/bundle-resolve";
import { loadResolved } from "../runtime/load";
import { exportProjectSnapshot } from "../snapshots/export";
import { importProjectSnapshot } from "../snapshots/import";
import { servedSkills } from "./live-skills";
import { files, filesOf, skillMd } from "../../test/skill-files";
import { textPrompt } from "../../test/contents";

withReleaseDatabase("skill-releases");
beforeAll(async () => {
  await createPrompt(f.ctx(f.editor), { name: "support/refunds", type: "skill", files });
  await createVersion(f.ctx(f.editor), "support/refunds", {
    type: "skill",
    files: { ...files, "references/guide.md": "# Guide\n\nStep one.\r\nStep 2.\n" },
  });
  await promoteVersion(f.ctx(f.approver), "support/refunds", { environment: "staging", version: 1 });
}, 60_000);

describe("a skill included in a prompt", () => {
  it("cannot go live where its body would break a prompt that includes it", async () => {
    await createPrompt(f.ctx(f.editor), textPrompt("composer", "Steps: {{> support/refunds}}"));
    await promoteVersion(f.ctx(f.approver), "composer", { environment: "staging", version: 1 });
    const { version } = await createVersion(f.ctx(f.editor), "support/refunds", {
      type: "skill",
      files: { ...files, "SKILL.md": skillMd("refunds", "Use {{#unclosed}} sections.\n") },
    });
    // Saved: agents read SKILL.md as written. Released where composer includes it: refused, naming composer.
    const e = await failure(
      promoteVersion(f.ctx(f.approver), "support/refunds", { environment: "staging", version: version.version }),
    );
    expect([e.status, e.details?.rule, e.details?.dependent]).toEqual([422, "dependents.compose", "composer"]);
    expect(e.message).toMatch(/composer \(version 1\), served in staging, includes support\/refunds/);
    // Production serves no prompt that includes it: there it may go live.
    await promoteVersion(f.ctx(f.approver), "support/refunds", { environment: "production", version: version.version });
  });

  it("makes the prompts including it dependents of the partials its body includes", async () => {
    await createPrompt(f.ctx(f.editor), { name: "shared/voice", type: "text", template: "Calm." });
    await promoteVersion(f.ctx(f.approver), "shared/voice", { environment: "staging", version: 1 });
    const { version } = await createVersion(f.ctx(f.editor), "support/refunds", {
      type: "skill",
      files: { ...files, "SKILL.md": skillMd("refunds", "Tone: {{> shared/voice}}\n") },
    });
    await promoteVersion(f.ctx(f.approver), "support/refunds", { environment: "staging", version: version.version });
    // The index of partial references reads a skill's SKILL.md: composer → support/refunds → shared/voice. The
    // skill itself is no dependent: agents read its files as written, whatever shared/voice serves.
    expect(await listPromptDependents(t.db, f.projectId, "shared/voice", "staging")).toEqual([
      { name: "composer", environment: "staging", serves: 1, direct: false },
    ]);
    const composed = await loadResolved(t.db, f.projectId, "composer", "staging");
    expect(Object.keys(composed.partials).sort()).toEqual(["shared/voice", "support/refunds"]);
  });
});

describe("a skill is not split by subject", () => {
  it("refuses an experiment and a guarded rollout, pointing at the prompts that include it", async () => {
    const experiment = await failure(
      createExperiment(f.ctx(f.approver), base("support/refunds", { name: "skill split" })),
    );
    expect([experiment.status, experiment.message], JSON.stringify(experiment.details)).toEqual([
      422,
      expect.stringMatching(/is a skill: agents install it whole/),
    ]);
    const rollout = await failure(
      startRollout(f.ctx(f.approver), "support/refunds", { environment: "staging", version: 2 }),
    );
    expect([rollout.status, rollout.details?.type]).toEqual([422, "skill"]);
  });
});

describe("a skill moves with the rest", () => {
  it("in a bundle, released with the prompts of one agent", async () => {
    await createPrompt(f.ctx(f.editor), { name: "agent/system", type: "text", template: "You help." });
    await createBundle(f.ctx(f.editor), { name: "support-agent", prompts: ["agent/system", "support/refunds"] });
    await releaseBundle(f.ctx(f.approver), "support-agent", {
      environment: "production",
      versions: { "agent/system": 1, "support/refunds": 2 },
    });
    const bundle = await resolveBundle(t.db, f.projectId, "support-agent", "production");
    expect(bundle.prompts["support/refunds"]).toMatchObject({ type: "skill", version: 2 });
    expect(Object.keys(filesOf(bundle.prompts["support/refunds"]))).toContain("references/guide.md");
    expect((await servedSkills(t.db, f.projectId, "production")).map((s) => s.folder)).toEqual(["refunds"]);
  });

  it("in a snapshot: exported and imported with every version and file", async () => {
    const other = await seedProject(t.db, "skills-copy");
    await importProjectSnapshot(other.ctx(other.admin), await exportProjectSnapshot(t.db, f.projectId));
    const [mine, theirs] = await Promise.all([
      servedSkills(t.db, f.projectId, "staging"),
      servedSkills(t.db, other.projectId, "staging"),
    ]);
    expect(theirs.map((s) => [s.name, s.version, s.files])).toEqual(mine.map((s) => [s.name, s.version, s.files]));
    // The import names the skill's folder too: a second "refunds" is refused there as well.
    const e = await failure(
      createPrompt(other.ctx(other.editor), {
        name: "x/refunds",
        type: "skill",
        files: { "SKILL.md": skillMd("refunds") },
      }),
    );
    expect(e.details?.rule).toBe("name.unique");
  });

  it("a snapshot holding a skill that breaks a rule is refused, naming it", async () => {
    const snap = await exportProjectSnapshot(t.db, f.projectId);
    const p = snap.prompts.find((x) => x.name === "support/refunds")!;
    p.versions[0]!.content = { type: "skill", files: { "SKILL.md": skillMd("refunds"), "/etc/passwd": "x" } } as never;
    const other = await seedProject(t.db, "skills-bad-copy");
    const e = await failure(importProjectSnapshot(other.ctx(other.admin), snap));
    expect(e.message).toMatch(/absolute path/);
  });
});
