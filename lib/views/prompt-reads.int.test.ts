// The prompt API's read models against a real database: each answers what its route sends, and checks a
// path's version only once the prompt is found (404 before 400).
import { beforeAll, describe, expect, it } from "vitest";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { code, promptWith } from "../../test/domain-fixtures";
import type { z } from "zod";
import { promptListResponse, versionListResponse, versionResponse } from "../registry/dto";
import { listPrompts } from "../registry/prompt-list";
import { getPromptVersionDiff } from "../registry/versions";
import { deploymentsResponse, promptDetailResponse } from "../release/dto";
import { promoteVersion } from "../release/promote";
import {
  listPromptDeployments,
  getPromptDetail,
  listPromptDrafts,
  listPromptReviews,
  getPromptVersion,
  listVersions,
  getVersionReleasePlan,
} from "./prompt-reads";

withReleaseDatabase("prompt-reads");
beforeAll(async () => {
  await promptWith(t.db, f, "reads", 3);
  await promoteVersion(f.ctx(f.approver), "reads", { environment: "staging", version: 2 });
});

/** What a client reads: the answer as JSON, checked against the route's response schema. */
const sent = <T>(schema: z.ZodType, answer: T): T => {
  const r = schema.safeParse(JSON.parse(JSON.stringify(answer)));
  if (!r.success) throw new Error(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  return answer;
};

describe("prompt read models", () => {
  it("the detail: the latest version with its placement and what each environment serves", async () => {
    const d = sent(promptDetailResponse, await getPromptDetail(t.db, f.projectId, "reads"));
    expect(d.prompt).toMatchObject({ name: "reads", latestVersion: 3 });
    expect(d.latestVersion).toMatchObject({ version: 3, status: "draft", liveIn: [] });
    expect(d.environments).toMatchObject({ development: null, production: null, staging: { version: 2 } });
  });

  it("the history and one version carry their placement; the list its page", async () => {
    const h = sent(versionListResponse, await listVersions(t.db, f.projectId, "reads", { limit: 2 }));
    expect(h.data.map((v) => [v.version, v.status])).toEqual([
      [3, "draft"],
      [2, "testing"],
    ]);
    expect(sent(versionResponse, await getPromptVersion(t.db, f.projectId, "reads", "2"))).toMatchObject({
      version: 2,
      liveIn: ["staging"],
      diff: expect.anything(),
    });
    const list = sent(promptListResponse, await listPrompts(t.db, f.projectId, { search: "reads" }));
    expect(list.pagination).toEqual({ total: 1, limit: 50, offset: 0 });
    expect(list.data[0]).toMatchObject({ name: "reads", owner: { name: "editor" }, lastEditedBy: "editor" });
  });

  it("checks the version only once the prompt is found", async () => {
    expect(await code(getPromptVersion(t.db, f.projectId, "nope", "x"))).toBe("not_found");
    expect(await code(getPromptVersion(t.db, f.projectId, "reads", "x"))).toBe("invalid_input");
    expect(await code(getPromptVersion(t.db, f.projectId, "reads", "9"))).toBe("not_found");
    expect(await code(getPromptVersionDiff(t.db, f.projectId, "nope", "x"))).toBe("not_found");
    expect(await code(getVersionReleasePlan(t.db, f.projectId, "nope", "x", "production"))).toBe("not_found");
    expect(await code(getVersionReleasePlan(t.db, f.projectId, "reads", "9", "production"))).toBe("not_found");
  });

  it("diffs version 1 against nothing, others against the one before or the one asked", async () => {
    expect(await getPromptVersionDiff(t.db, f.projectId, "reads", "1")).toMatchObject({ from: null, to: 1 });
    expect(await getPromptVersionDiff(t.db, f.projectId, "reads", "3")).toMatchObject({ from: 2, to: 3 });
    expect(await getPromptVersionDiff(t.db, f.projectId, "reads", "3", 1)).toMatchObject({ from: 1, to: 3 });
  });

  it("deployments: the history, or what each environment served at an instant", async () => {
    const history = sent(deploymentsResponse, await listPromptDeployments(t.db, f.projectId, "reads", { limit: 10 }));
    expect(history).toEqual({
      data: [expect.objectContaining({ environment: "staging", version: 2 })],
      entries: [expect.objectContaining({ kind: "deployment", environment: "staging", version: 2 })],
    });
    const now = sent(
      deploymentsResponse,
      await listPromptDeployments(t.db, f.projectId, "reads", { at: new Date().toISOString() }),
    );
    expect(now).toMatchObject({ live: { staging: { version: 2 }, production: null } });
    const before = await listPromptDeployments(t.db, f.projectId, "reads", {
      at: "2000-01-01T00:00:00Z",
      environment: "staging",
    });
    expect(before).toEqual({ at: "2000-01-01T00:00:00.000Z", live: { staging: null } });
  });

  it("the response schemas refuse an answer that lost or renamed a field", async () => {
    const d = await getPromptDetail(t.db, f.projectId, "reads");
    const { latestVersion: _gone, ...rest } = d;
    expect(() => sent(promptDetailResponse, rest)).toThrow(/latestVersion/);
    const renamed = { ...d, latestVersion: { ...d.latestVersion, when: d.latestVersion.createdAt, createdAt: 1 } };
    expect(() => sent(promptDetailResponse, renamed)).toThrow(/latestVersion.createdAt/);
  });

  it("drafts and reviews of a prompt, 404 for an unknown one", async () => {
    expect(await listPromptDrafts(t.db, f.projectId, "reads")).toEqual({ data: [] });
    expect(await listPromptReviews(t.db, f.projectId, "reads")).toEqual({ data: [] });
    expect(await code(listPromptDrafts(t.db, f.projectId, "nope"))).toBe("not_found");
    expect(await code(listPromptReviews(t.db, f.projectId, "nope"))).toBe("not_found");
  });
});
