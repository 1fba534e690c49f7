// SSE replay reads the audit log back through the exhaustive replayAs table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { recordAudit } from "../audit/record";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { promoteVersion } from "../release/promote";
import { rollbackPrompt } from "../release/rollback";
import { removeVersionLabel, setVersionLabel } from "../release/version-labels/version-labels";
import { changesSince, newestSeq } from "./replay";

let t: TestDatabase;
let fx: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  fx = await seedProject(t.db, "replay");
});
afterAll(async () => {
  await t.drop();
});

describe("changes since an SSE event id", () => {
  it("replays versions, deployments, label moves and experiment changes, and skips other actions", async () => {
    const start = await newestSeq(t.db, fx.projectId);
    const ed = fx.ctx(fx.editor);
    await createPrompt(ed, { name: "replayed", type: "text", template: "one" });
    await createVersion(ed, "replayed", { template: "two", commitMessage: "second" });
    await promoteVersion(ed, "replayed", { environment: "development", version: 1 });
    await promoteVersion(ed, "replayed", { environment: "development", version: 2 });
    await rollbackPrompt(fx.ctx(fx.approver), "replayed", { environment: "development", version: 1, reason: "bad" });
    await setVersionLabel(ed, "replayed", "v1.2", 2);
    await removeVersionLabel(ed, "replayed", "v1.2");
    await recordAudit(t.db, {
      projectId: fx.projectId,
      actor: fx.admin,
      action: "experiment.reweight",
      objectType: "experiment",
      objectId: "e1",
      after: { prompt: "replayed", environment: "development", weights: { control: 0.5, b: 0.5 } },
    });
    // Not replayed: says nothing about what is served.
    await recordAudit(t.db, {
      projectId: fx.projectId,
      actor: fx.admin,
      action: "playground.run",
      objectType: "prompt",
      objectId: null,
      after: { version: 1 },
    });

    const got = await changesSince(t.db, fx.projectId, start);
    expect(got.map(({ prompt, environment, version, action }) => ({ prompt, environment, version, action }))).toEqual([
      { prompt: "replayed", environment: null, version: 1, action: "version" },
      { prompt: "replayed", environment: null, version: 2, action: "version" },
      { prompt: "replayed", environment: "development", version: 1, action: "promote" },
      { prompt: "replayed", environment: "development", version: 2, action: "promote" },
      { prompt: "replayed", environment: "development", version: 1, action: "rollback" },
      { prompt: "replayed", environment: null, version: 2, action: "label" },
      { prompt: "replayed", environment: null, version: 2, action: "label" },
      { prompt: "replayed", environment: "development", version: 0, action: "experiment" },
    ]);
    // A label's events name it, so SDKs drop what they fetched by it.
    expect(got.filter((c) => c.action === "label").map((c) => c.label)).toEqual(["v1.2", "v1.2"]);
    expect(got.every((c, i) => i === 0 || c.seq! > got[i - 1]!.seq!)).toBe(true);
    expect(got.at(-1)!.seq).toBeLessThan(await newestSeq(t.db, fx.projectId));
  });
});
