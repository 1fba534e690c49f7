// Who may end an experiment by releasing over it (docs/decisions/experiment-end-rule.md): an editor's promotion that
// would stop an approver's running experiment is refused (403, naming the experiment), and so is a job's; the
// experiment keeps running. An approver's promotion stops it, as before.
import { describe, expect, it } from "vitest";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { f, servedPrompt, t, withExperimentsDatabase, runningExperiment } from "../../../test/experiments-fixture";
import { getExperiment } from "../../experiments/store";
import { promoteVersion } from "../promote";

withExperimentsDatabase("experiment-end");

describe("ending an experiment by a release", () => {
  it("is refused to an editor and to a job, allowed to an approver", async () => {
    await servedPrompt("end-a", 3);
    const e = await runningExperiment("end-a", { name: "Warmer" });

    const editor = await failure(promoteVersion(f.ctx(f.editor), "end-a", { environment: "staging", version: 3 }));
    expect([editor.code, editor.details?.rule]).toEqual(["forbidden", "endExperiment"]);
    expect(editor.message).toBe(
      "Releasing version 3 to staging would stop the experiment “Warmer” on end-a, which only the person who created it or an approver may end: ask them to stop it (or to release this version), or wait until it ends.",
    );
    const job = await failure(
      promoteVersion(f.ctx({ type: "system", label: "auto-promote" }), "end-a", { environment: "staging", version: 3 }),
    );
    expect(job.code).toBe("forbidden");
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("running");
    expect(await liveVersion(t.db, f, "end-a", "staging")).toBe(1);

    // Without a running experiment the editor promotes as before; an approver may end one.
    await promoteVersion(f.ctx(f.approver), "end-a", { environment: "staging", version: 3 });
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("stopped");
    await promoteVersion(f.ctx(f.editor), "end-a", { environment: "staging", version: 2 });
    expect(await liveVersion(t.db, f, "end-a", "staging")).toBe(2);
  });
});
