// The hub's operations against a real database, as LangSmith's clients call them: pull by latest, by a commit
// (its first 8 digits) and by a tag (an environment through resolve, a version label), a folder as `--`, another
// owner refused; repos and commits listed with their parents; pushPrompt's steps (createPrompt waits without a
// prompt, the first commit creates it, a stale parent is a 409); tags move environments only through the release
// plan (a protected one refused, naming what is missing); a key limited to an environment pulls by that tag only.
import { describe, expect, it } from "vitest";
import { systemThenUser } from "../../../test/chat-template";
import { code, failure, projectDatabaseForFile, type Fixture } from "../../../test/domain-fixtures";
import type { TestDatabase } from "../../../test/db";
import { createPrompt, findPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { createEnvironment } from "../../release/environments";
import { promoteVersion } from "../../release/promote";
import { findLabelTarget } from "../../release/version-labels/version-labels";
import { TwoLayerCache } from "../../runtime/cache";
import type { ResolvedPrompt } from "../../runtime/load";
import { MemoryStore } from "../../runtime/shared-store";
import { commitHashOf } from "./hub-names";
import { createCommit, createRepo, createTag } from "./push";
import { listCommits, listRepos, pullCommit, readRepo, type LsReadDeps } from "./reads";

let t: TestDatabase;
let f: Fixture;
projectDatabaseForFile("langsmith-hub", async (db, fx) => {
  t = db;
  f = fx;
  await createEnvironment(f.ctx(f.admin), { name: "guarded", requiresReview: true });
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, {
    name: "support/reply",
    type: "chat",
    template: systemThenUser("You are {{company}}'s agent.", "{{question}}"),
    variables: [{ name: "company" }, { name: "question" }],
  });
  await createVersion(ctx, "support/reply", {
    template: systemThenUser("{{#vip}}VIP. {{/vip}}You are {{company}}'s agent.", "Q: {{question}}"),
    variables: [{ name: "company" }, { name: "question" }, { name: "vip", type: "boolean" }],
    commitMessage: "VIPs",
  });
  await promoteVersion(f.ctx(f.admin), "support/reply", { environment: "production", version: 1 });
});

const tenantHandle = "acme";
/** A fresh runtime per read: the test's writes announce nothing to a cache. */
const deps = (allowed: string[] | null = null): LsReadDeps => ({
  db: t.db,
  projectId: f.projectId,
  tenantHandle,
  allowed,
  runtime: {
    prompts: new TwoLayerCache<ResolvedPrompt>("p", new MemoryStore(), { l1TtlMs: 1, l1Max: 10, l2TtlSeconds: 1 }),
    sticky: {} as never,
    exposures: { record: () => undefined } as never,
  },
});
const writer = () => ({ ...f.ctx(f.admin), tenantHandle });
const promptId = async (name: string) => (await findPrompt(t.db, f.projectId, name))!.id;
const templateOf = (manifest: unknown) =>
  (
    manifest as { kwargs: { messages: { kwargs: { prompt: { kwargs: { template: string } } } }[] } }
  ).kwargs.messages.map((m) => m.kwargs.prompt.kwargs.template);

describe("pulling from the hub", () => {
  it("answers latest, a commit by its first 8 digits, and a tag (an environment), a folder written --", async () => {
    const id = await promptId("support/reply");
    const latest = await pullCommit(deps(), "-", "support--reply", "latest", false);
    expect(latest.commit_hash).toBe(commitHashOf(id, 2));
    expect(latest.manifest.kwargs.template_format).toBe("mustache");
    const v1 = await pullCommit(deps(), tenantHandle, "support--reply", commitHashOf(id, 1).slice(0, 8), false);
    expect(templateOf(v1.manifest)).toEqual(["You are {company}'s agent.", "{question}"]);
    const production = await pullCommit(deps(), "-", "support%2Freply", "production", false);
    expect(production.commit_hash).toBe(commitHashOf(id, 1));
  });

  it("refuses another owner, an unknown tag, and a limited key's latest", async () => {
    expect(await code(pullCommit(deps(), "someone", "support--reply", "latest", false))).toBe("not_found");
    expect((await failure(pullCommit(deps(), "-", "support--reply", "nope", false))).message).toMatch(
      /No commit or tag/,
    );
    expect(await code(pullCommit(deps(["production"]), "-", "support--reply", "latest", false))).toBe("forbidden");
    const ok = await pullCommit(deps(["production"]), "-", "support--reply", "production", false);
    expect(ok.commit_hash).toBe(commitHashOf(await promptId("support/reply"), 1));
  });

  it("lists repos and commits, newest first, each commit with its parent", async () => {
    const { repos, total } = await listRepos(deps(), { limit: 100, offset: 0 });
    expect(total).toBe(1);
    expect(repos[0]).toMatchObject({ repo_handle: "support--reply", full_name: "acme/support--reply", num_commits: 2 });
    const id = await promptId("support/reply");
    const { commits } = await listCommits(deps(), "-", "support--reply", { limit: 100, offset: 0 });
    expect(commits.map((c) => [c.commit_hash, c.parent_commit_hash, c.description])).toEqual([
      [commitHashOf(id, 2), commitHashOf(id, 1), "VIPs"],
      [commitHashOf(id, 1), null, "Initial version"],
    ]);
    expect((await readRepo(deps(), "-", "support--reply")).repo.last_commit_hash).toBe(commitHashOf(id, 2));
  });
});

describe("pushing to the hub", () => {
  const manifest = (template: string) => ({
    lc: 1,
    type: "constructor",
    id: ["langchain_core", "prompts", "chat", "ChatPromptTemplate"],
    kwargs: {
      input_variables: ["topic"],
      messages: [
        {
          lc: 1,
          type: "constructor",
          id: ["langchain_core", "prompts", "chat", "HumanMessagePromptTemplate"],
          kwargs: {
            prompt: {
              lc: 1,
              type: "constructor",
              id: ["langchain_core", "prompts", "prompt", "PromptTemplate"],
              kwargs: { template, input_variables: ["topic"], template_format: "f-string" },
            },
          },
        },
      ],
    },
  });

  it("creates a repo without a prompt, then the prompt with its first commit", async () => {
    const created = await createRepo(writer(), {
      repo_handle: "notes--tweet",
      description: "Tweets",
      tags: ["social"],
    });
    expect(created.repo).toMatchObject({ repo_handle: "notes--tweet", num_commits: 0, last_commit_hash: null });
    expect(await findPrompt(t.db, f.projectId, "notes/tweet")).toBeUndefined();
    expect((await readRepo(deps(), "-", "notes--tweet")).repo.description).toBe("Tweets");
    expect((await listCommits(deps(), "-", "notes--tweet", { limit: 1, offset: 0 })).commits).toEqual([]);
    expect(await code(createRepo(writer(), { repo_handle: "notes--tweet" }))).toBe("conflict");

    const { commit } = await createCommit(writer(), "-", "notes--tweet", { manifest: manifest("About {topic}") });
    const prompt = (await findPrompt(t.db, f.projectId, "notes/tweet"))!;
    expect(prompt).toMatchObject({ description: "Tweets", tags: ["social"], latestVersion: 1 });
    expect(commit.commit_hash).toBe(commitHashOf(prompt.id, 1));
    const pulled = await pullCommit(deps(), "-", "notes--tweet", commit.commit_hash.slice(0, 8), false);
    expect(templateOf(pulled.manifest)).toEqual(["About {topic}"]);
  });

  it("takes a commit on the newest as its parent, and refuses a stale one", async () => {
    const id = await promptId("notes/tweet");
    const next = await createCommit(writer(), "-", "notes--tweet", {
      manifest: manifest("Tweet about {topic}"),
      parent_commit: commitHashOf(id, 1),
      description: "Say tweet",
    });
    expect(next.commit).toMatchObject({ parent_commit_hash: commitHashOf(id, 1), description: "Say tweet" });
    const stale = await failure(
      createCommit(writer(), "-", "notes--tweet", {
        manifest: manifest("x {topic}"),
        parent_commit: commitHashOf(id, 1),
      }),
    );
    expect(stale.code).toBe("conflict");
  });

  it("moves an environment only through the release plan, and keeps any other tag as a version label", async () => {
    const id = await promptId("notes/tweet");
    const [commit] = (await listCommits(deps(), "-", "notes--tweet", { limit: 1, offset: 0 })).commits;
    const refused = await failure(
      createTag(writer(), "-", "notes--tweet", { tag_name: "guarded", commit_id: commit!.id }),
    );
    expect(refused.code, refused.message).toBe("conflict");
    expect(refused.message).toMatch(/review/i);
    await createTag(writer(), "-", "notes--tweet", { tag_name: "staging", commit_id: commit!.id });
    expect((await pullCommit(deps(), "-", "notes--tweet", "staging", false)).commit_hash).toBe(commitHashOf(id, 2));
    await createTag(writer(), "-", "notes--tweet", { tag_name: "v1.0", commit_id: commitHashOf(id, 1) });
    expect(await findLabelTarget(t.db, f.projectId, id, "v1.0")).toEqual({ kind: "version", version: 1 });
    expect((await pullCommit(deps(), "-", "notes--tweet", "v1.0", false)).commit_hash).toBe(commitHashOf(id, 1));
  });

  it("an editor's tag moves no protected environment (the tag names it: assertMayDeployInto checks it)", async () => {
    const [commit] = (await listCommits(deps(), "-", "notes--tweet", { limit: 1, offset: 0 })).commits;
    const byEditor = { ...f.ctx(f.editor), tenantHandle };
    const refused = await failure(
      createTag(byEditor, "-", "notes--tweet", { tag_name: "production", commit_id: commit!.id }),
    );
    expect([refused.code, refused.details?.action]).toEqual(["forbidden", "deploy.protected"]);
    expect(await code(pullCommit(deps(), "-", "notes--tweet", "production", false))).not.toBe("ok");
  });
});
