// Skills are prompts in every way that matters: saved and checked against the agentskills.io rules
// (422 naming the rule), one folder name per project, never turned into a template or back, diffed and merged
// file by file, released and rolled back, answered by resolve with their files; and what an environment serves is
// what its discovery index, archives and MCP resources give agents, byte for byte (skill-releases.int.test.ts:
// among the prompts that include it, bundles and snapshots).
import { gunzipSync, unzipSync } from "fflate";
import { unpackTar } from "modern-tar";
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { code, failure } from "../../test/domain-fixtures";
import { listSkillResources, readSkillResource } from "../mcp/resources";
import { createPrompt, getPrompt } from "../registry/prompts";
import { createVersion, getVersion } from "../registry/versions";
import { versionDto } from "../registry/dto";
import { createDraft, mergeDraft, updateDraft } from "../release/drafts/drafts";
import { promoteVersion } from "../release/promote";
import { rollbackPrompt } from "../release/rollback";
import { loadResolved } from "../runtime/load";
import { resolvedDto } from "../runtime/resolve";
import { buildArchive } from "./artifact";
import { artifactAt, discoveryIndex } from "./discovery";
import { servedSkillHeads, servedSkills } from "./live-skills";
import { skillSummaries } from "./skill-summary";
import { files, filesOf, skillMd } from "../../test/skill-files";

const principal = () => ({ projectId: f.projectId, environments: null, name: "test" });

withReleaseDatabase("skills");
beforeAll(async () => {
  await createPrompt(f.ctx(f.editor), { name: "support/refunds", type: "skill", files, commitMessage: "first" });
  await promoteVersion(f.ctx(f.approver), "support/refunds", { environment: "staging", version: 1 });
}, 60_000);

describe("saving a skill", () => {
  it("refuses a version that breaks a rule, with 422 naming the rule", async () => {
    const bad = async (fs: Record<string, string>, name = "support/other") => {
      const e = await failure(createPrompt(f.ctx(f.editor), { name, type: "skill", files: fs }));
      return [e.status, e.details?.rule];
    };
    expect(await bad({ "SKILL.md": skillMd("refunds") })).toEqual([422, "name.folder"]);
    expect(await bad({ "SKILL.md": skillMd("other"), "../x.md": "" })).toEqual([422, "path.relative"]);
    expect(await bad({ "SKILL.md": "no frontmatter" })).toEqual([422, "frontmatter.missing"]);
    expect(await bad({ "SKILL.md": skillMd("Other") }, "support/Other")).toEqual([422, "name.format"]);
    expect(await bad({ "README.md": "" })).toEqual([422, "skill_md.required"]);
    // What would be unsafe to install: a repository, names one system merges or cannot write, a reversed name.
    const ok = skillMd("other");
    expect(await bad({ "SKILL.md": ok, ".git/config": "[core]\n\tfsmonitor = touch /tmp/owned\n" })).toEqual([
      422,
      "path.vcs",
    ]);
    expect(await bad({ "SKILL.md": ok, "\u00e9.md": "", "e\u0301.md": "" })).toEqual([422, "path.normalization"]);
    expect(await bad({ "SKILL.md": ok, a: "", "a.": "" })).toEqual([422, "path.windows"]);
    expect(await bad({ "SKILL.md": ok, "a.md:x": "" })).toEqual([422, "path.windows"]);
    expect(await bad({ "SKILL.md": ok, "AUX.md": "" })).toEqual([422, "path.windows"]);
    expect(await bad({ "SKILL.md": ok, "x\u202egnp.md": "" })).toEqual([422, "path.bidi"]);
    expect(await bad({ "SKILL.md": ok, ".lectern.yaml": "" })).toEqual([422, "path.reserved"]);
    expect(await code(getPrompt(t.db, f.projectId, "support/other"))).toBe("not_found");
  });

  it("keeps one skill per folder name in a project, as agents install it", async () => {
    const e = await failure(
      createPrompt(f.ctx(f.editor), {
        name: "billing/refunds",
        type: "skill",
        files: { "SKILL.md": skillMd("refunds") },
      }),
    );
    expect([e.code, e.details?.rule]).toEqual(["conflict", "name.unique"]);
  });

  it("never turns a skill into a template, nor a template into a skill", async () => {
    const e = await failure(createVersion(f.ctx(f.editor), "support/refunds", { type: "text", template: "Hi" }));
    expect([e.status, e.details?.rule]).toEqual([422, "type.kind"]);
    await createPrompt(f.ctx(f.editor), { name: "plain", type: "text", template: "Hi" });
    const back = await failure(createVersion(f.ctx(f.editor), "plain", { type: "skill", files }));
    expect(back.details?.rule).toBe("type.kind");
  });

  it("answers files, a diff per file, and keeps what a new version leaves out", async () => {
    const ctx = f.ctx(f.editor);
    const { version } = await createVersion(ctx, "support/refunds", {
      type: "skill",
      files: { ...files, "references/guide.md": "# Guide\n\nStep one.\r\nStep 2.\n" },
      commitMessage: "Shorter guide",
    });
    const dto = versionDto(version, { withDiff: true });
    expect(dto).toMatchObject({ type: "skill", files: { "references/guide.md": "# Guide\n\nStep one.\r\nStep 2.\n" } });
    expect(dto).not.toHaveProperty("template");
    expect(version.diff!.summary).toEqual(["file references/guide.md changed: +1 −1 lines"]);
    // Only the config changes: the files stay.
    const v3 = await createVersion(ctx, "support/refunds", { config: { model: "any" } });
    expect(v3.version.content).toMatchObject({ type: "skill", files: filesOf(dto) });
  });

  it("merges a draft file by file with a newer version", async () => {
    const ctx = f.ctx(f.editor);
    const prompt = await getPrompt(t.db, f.projectId, "support/refunds");
    const draft = await createDraft(ctx, "support/refunds", { name: "new script" });
    const base = (await getVersion(t.db, prompt, prompt.latestVersion)).content;
    if (base.type !== "skill") throw new Error("not a skill");
    await updateDraft(ctx, draft.id, {
      content: { ...base, files: { ...base.files, "scripts/check.py": "print(2)\n" } },
    });
    await createVersion(ctx, "support/refunds", {
      type: "skill",
      files: { ...base.files, "references/faq.md": "Q?\n" },
    });
    const merged = await mergeDraft(ctx, draft.id, {});
    expect(merged.threeWay).toBe(true);
    expect(merged.version.content).toMatchObject({
      files: { "scripts/check.py": "print(2)\n", "references/faq.md": "Q?\n" },
    });
  });
});

describe("what an environment serves", () => {
  it("is what resolve answers: the files, no template", async () => {
    const dto = resolvedDto(await loadResolved(t.db, f.projectId, "support/refunds", "staging"), undefined, new Date());
    expect(dto).toMatchObject({ type: "skill", version: 1, files });
    expect(Object.keys(filesOf(dto))).toEqual(["SKILL.md", "references/guide.md", "scripts/check.py"]);
    expect(dto).not.toHaveProperty("template");
  });

  it("is listed in the discovery index with the digest of exactly the bytes its archive answers", async () => {
    await createPrompt(f.ctx(f.editor), {
      name: "one-file",
      type: "skill",
      files: { "SKILL.md": skillMd("one-file") },
    });
    await promoteVersion(f.ctx(f.approver), "one-file", { environment: "staging", version: 1 });
    const served = await servedSkills(t.db, f.projectId, "staging");
    const index = discoveryIndex(await skillSummaries(t.db, await servedSkillHeads(t.db, f.projectId, "staging")));
    expect(index.$schema).toBe("https://schemas.agentskills.io/discovery/0.2.0/schema.json");
    expect(index.skills.map(({ digest: _d, ...e }) => e)).toEqual([
      {
        name: "one-file",
        type: "skill-md",
        description: "Answers support tickets about refunds.",
        url: "one-file/SKILL.md",
      },
      {
        name: "refunds",
        type: "archive",
        description: "Answers support tickets about refunds.",
        url: "refunds.tar.gz",
      },
    ]);
    const find = async (folder: string) => served.find((s) => s.folder === folder);
    const tgz = await artifactAt("refunds.tar.gz", find);
    expect(tgz.digest).toBe(index.skills[1]!.digest);
    const entries = await unpackTar(gunzipSync(tgz.bytes));
    const dec = new TextDecoder();
    expect(Object.fromEntries(entries.map((e) => [e.header.name, dec.decode(e.data)]))).toEqual(files);
    const zip = unzipSync((await artifactAt("refunds.zip", find)).bytes);
    expect(Object.fromEntries(Object.entries(zip).map(([k, v]) => [k, dec.decode(v)]))).toEqual(files);
    const md = await artifactAt("one-file/SKILL.md", find);
    expect([dec.decode(md.bytes), md.digest]).toEqual([skillMd("one-file"), index.skills[0]!.digest]);
    for (const path of ["refunds.tar", "nope.tar.gz", "../refunds.tar.gz", "refunds/guide.md"])
      expect(await code(artifactAt(path, find))).toBe("not_found");
  });

  it("builds the same archive bytes every time, and keeps long paths whole", async () => {
    const deep = { "SKILL.md": "x", [`${"folder-name/".repeat(12)}file.md`]: "deep" };
    const at = new Date("2026-01-02T03:04:05.678Z");
    const a = await buildArchive(deep, "tar.gz", at);
    expect((await buildArchive(deep, "tar.gz", at)).digest).toBe(a.digest);
    const names = (await unpackTar(gunzipSync(a.bytes))).map((e) => e.header.name);
    expect(names).toEqual(Object.keys(deep));
  });

  it("archives each file with its mode: 0755 for a version's executable files, 0644 for the others", async () => {
    const files = { "SKILL.md": "x", "scripts/run.sh": "#!/bin/sh\necho ok\n", "notes/.hidden": "h" };
    const at = new Date("2026-01-02T03:04:05.678Z");
    const tgz = await buildArchive(files, "tar.gz", at, { "scripts/run.sh": "0755" });
    const modes = (await unpackTar(gunzipSync(tgz.bytes))).map((e) => [e.header.name, e.header.mode]);
    expect(modes).toEqual([
      ["SKILL.md", 0o644],
      ["notes/.hidden", 0o644],
      ["scripts/run.sh", 0o755],
    ]);
    // Without executable files, the bytes are those of an archive made before files had modes.
    expect((await buildArchive(files, "tar.gz", at, undefined)).digest).not.toBe(tgz.digest);
    const zip = await buildArchive(files, "zip", at, { "scripts/run.sh": "0755" });
    const attrs: Record<string, number> = {};
    const central = Buffer.from(zip.bytes);
    for (let i = central.indexOf("PK\u0001\u0002"); i >= 0; i = central.indexOf("PK\u0001\u0002", i + 4)) {
      const nameLength = central.readUInt16LE(i + 28);
      attrs[central.toString("utf8", i + 46, i + 46 + nameLength)] = central.readUInt32LE(i + 38) >>> 16;
    }
    expect(attrs).toEqual({ "SKILL.md": 0o100644, "notes/.hidden": 0o100644, "scripts/run.sh": 0o100755 });
  });

  it("is what MCP lists and reads: skill://<name>/<path>, each file as text", async () => {
    const { resources } = await listSkillResources(t.db, principal(), "staging");
    expect(resources.map((r) => r.uri)).toEqual([
      "skill://one-file/SKILL.md",
      "skill://support/refunds/SKILL.md",
      "skill://support/refunds/references/guide.md",
      "skill://support/refunds/scripts/check.py",
    ]);
    expect(resources[1]).toMatchObject({ name: "refunds", mimeType: "text/markdown", title: "support/refunds" });
    const read = await readSkillResource(t.db, principal(), "staging", "skill://support/refunds/references/guide.md");
    expect(read.contents).toEqual([
      {
        uri: "skill://support/refunds/references/guide.md",
        mimeType: "text/markdown",
        text: files["references/guide.md"],
      },
    ]);
    expect(await code(readSkillResource(t.db, principal(), "staging", "skill://support/refunds/nope.md"))).toBe(
      "not_found",
    );
    expect(await code(readSkillResource(t.db, principal(), "production", "skill://support/refunds/SKILL.md"))).toBe(
      "not_found",
    );
    const limited = { ...principal(), environments: ["production"] };
    expect(await code(listSkillResources(t.db, limited, "staging"))).toBe("forbidden");
  });

  it("follows a promotion and a rollback at once", async () => {
    const prompt = await getPrompt(t.db, f.projectId, "support/refunds");
    await promoteVersion(f.ctx(f.approver), "support/refunds", {
      environment: "staging",
      version: prompt.latestVersion,
    });
    const guide = async () =>
      (await readSkillResource(t.db, principal(), "staging", "skill://support/refunds/references/guide.md"))
        .contents[0]!.text;
    expect(await guide()).toBe("# Guide\n\nStep one.\r\nStep 2.\n");
    await rollbackPrompt(f.ctx(f.approver), "support/refunds", { environment: "staging" });
    expect(await guide()).toBe(files["references/guide.md"]);
  });
});

describe("a skill's file modes", () => {
  it("are kept by the API, resolve and MCP; a version that leaves them out keeps the latest's", async () => {
    const ctx = f.ctx(f.editor);
    const run = { "SKILL.md": skillMd("runner"), "scripts/run.sh": "#!/bin/sh\necho ok\n", "notes/.hidden": "h" };
    await createPrompt(ctx, { name: "ops/runner", type: "skill", files: run, modes: { "scripts/run.sh": "0755" } });
    const prompt = await getPrompt(t.db, f.projectId, "ops/runner");
    expect(versionDto(await getVersion(t.db, prompt, 1))).toMatchObject({ modes: { "scripts/run.sh": "0755" } });
    await createVersion(ctx, "ops/runner", { files: { ...run, "SKILL.md": skillMd("runner", "Run it.\n") } });
    await createVersion(ctx, "ops/runner", { config: { note: "x" } });
    const v3 = await getVersion(t.db, await getPrompt(t.db, f.projectId, "ops/runner"), 3);
    expect(v3.content).toMatchObject({ modes: { "scripts/run.sh": "0755" } });
    await promoteVersion(f.ctx(f.approver), "ops/runner", { environment: "staging", version: 3 });
    const resolved = resolvedDto(await loadResolved(t.db, f.projectId, "ops/runner", "staging"), undefined, new Date());
    expect(resolved).toMatchObject({ modes: { "scripts/run.sh": "0755" } });
    const { resources } = await listSkillResources(t.db, principal(), "staging");
    const meta = Object.fromEntries(
      resources.filter((r) => r.uri.startsWith("skill://ops/runner/")).map((r) => [r.uri, r._meta?.["lectern/mode"]]),
    );
    expect(meta).toEqual({
      "skill://ops/runner/SKILL.md": undefined,
      "skill://ops/runner/notes/.hidden": undefined,
      "skill://ops/runner/scripts/run.sh": "0755",
    });
    const { version } = await createVersion(ctx, "ops/runner", { files: run, modes: {} });
    expect(version.content).not.toHaveProperty("modes");
  });
});
