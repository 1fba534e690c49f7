// Comments on versions and in reviews: mentions resolved to members and kept, the audit entry that
// webhooks send as comment.created, and every refusal leaving nothing behind.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { f, t, withReleaseDatabase } from "../../../test/release-fixture";
import { code, failure, promptWith } from "../../../test/domain-fixtures";
import { eventForAudit } from "../../webhooks/events";
import { addPromptComment, listPromptComments, reviewDiscussions } from "./comments";
import { requestReview } from "./reviews";

let reviewId = "";

withReleaseDatabase("comments");
beforeAll(async () => {
  await promptWith(t.db, f, "support", 2);
  reviewId = (await requestReview(f.ctx(f.editor), "support", { version: 2, environment: "staging" })).id;
});

const count = async () =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from version_comments`))[0]!.n;

describe("comments", () => {
  it("keeps a review comment with the members it mentions, and audits it for webhooks", async () => {
    const c = await addPromptComment(f.ctx(f.editor), "support", {
      version: 2,
      reviewId,
      body: "  @approver can you check the tone? cc @viewer@comments.test  ",
    });
    expect(c).toMatchObject({
      prompt: "support",
      version: 2,
      reviewId,
      author: f.editor.label,
      body: "@approver can you check the tone? cc @viewer@comments.test",
      mentions: [
        { id: f.approver.id, email: "approver@comments.test", name: "approver" },
        { id: f.viewer.id, email: "viewer@comments.test", name: "viewer" },
      ],
    });
    await addPromptComment(f.ctx(f.approver), "support", { version: 1, body: "v1 was fine." });
    expect((await listPromptComments(t.db, f.projectId, "support", { version: 2 })).map((x) => x.id)).toEqual([c.id]);
    const all = await listPromptComments(t.db, f.projectId, "support");
    expect((await reviewDiscussions(t.db, f.projectId, [reviewId])).get(reviewId)!.map((x) => x.id)).toEqual([c.id]);
    expect(all.map((x) => [x.version, x.author, x.mentions.length])).toEqual([
      [2, "editor", 2],
      [1, "approver", 0],
    ]);

    const [entry] = await queryRows<{
      id: number;
      action: string;
      object_type: string;
      object_id: string;
      actor_type: string;
      actor_label: string;
      before: unknown;
      after: unknown;
      created_at: Date;
    }>(t.db, sql`select * from audit_log where action = 'comment.create' and object_id = ${c.id}`);
    const event = eventForAudit(
      {
        id: entry!.id,
        action: entry!.action,
        objectType: entry!.object_type,
        objectId: entry!.object_id,
        actorType: entry!.actor_type,
        actorLabel: entry!.actor_label,
        before: entry!.before,
        after: entry!.after,
        createdAt: new Date(entry!.created_at),
      },
      { id: f.projectId, slug: "comments", name: "comments" },
    );
    expect(event).toMatchObject({
      type: "comment.created",
      data: { commentId: c.id, prompt: "support", version: 2, reviewId, body: c.body, mentions: c.mentions },
    });
  });

  it("refuses, saving nothing: a stranger mentioned, an unknown version or review, a viewer, an empty body", async () => {
    const before = await count();
    const bad = await failure(
      addPromptComment(f.ctx(f.editor), "support", { version: 2, body: "@nobody and @ghost@x.io?" }),
    );
    expect(bad.message).toBe(
      "@nobody is not a member of this project; @ghost@x.io is not a member of this project. Nothing was saved.",
    );
    expect(bad.details).toMatchObject({ field: "body", unknown: ["nobody", "ghost@x.io"] });
    expect(await code(addPromptComment(f.ctx(f.editor), "support", { version: 3, body: "Hi" }))).toBe("not_found");
    expect(
      (await failure(addPromptComment(f.ctx(f.editor), "support", { version: 1, reviewId, body: "Hi" }))).details
        ?.field,
    ).toBe("reviewId");
    expect(
      (await failure(addPromptComment(f.ctx(f.editor), "support", { version: 1, body: "   " }))).details?.field,
    ).toBe("body");
    expect(
      (await failure(addPromptComment(f.ctx(f.editor), "support", { version: 1, body: "x".repeat(4001) }))).details
        ?.field,
    ).toBe("body");
    expect(await count()).toBe(before);
  });
});
