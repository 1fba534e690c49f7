// Online evaluation's automatic rollback reads what arrived, and says what it read (docs/decisions/compositions.md):
// each check keeps, per version, the scored samples and feedback events its window read and the samples accepted but
// not scored yet; a rollback due while a sample accepted before the newest one read is still being scored (a retry)
// waits, saying so, and happens once it is scored. Samples newer than the newest one read never hold it back.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { liveVersion } from "../../../../test/domain-fixtures";
import { generations, f, rule, t, withOnlineDatabase } from "../../../../test/online-fixture";
import { check, promotedAfterWindow } from "../../../../test/seams-fixture";
import { ingestEvents } from "../../../ingest/ingest";
import { scorePendingSamples } from "../scoring";

withOnlineDatabase("loop-reads");

describe("an automatic rollback reads what arrived", () => {
  it("waits for a sample accepted before the newest one read, then rolls back, keeping what it read", async () => {
    await promotedAfterWindow("rd-gap", 2, [30, 27], [30, 3]);
    // One of v2's earlier samples is being scored again (its first attempt failed): a gap in what was scored.
    await t.db.execute(sql`update online_samples set status = 'pending', score = null, scored_at = null
      where id = (select min(o.id) from online_samples o join prompts p on p.id = o.prompt_id
                  where p.name = 'rd-gap' and o.version = 2)`);
    const waiting = await check("rd-gap");
    expect(waiting).toMatchObject({ live: 2, baseline: 1, level: "rollback", action: "waiting" });
    expect(waiting.reason).toMatch(
      /^waiting for data: 1 sample of v2 accepted before the newest one read not scored yet; past the rollback threshold so far: thanks/,
    );
    expect(waiting.read).toEqual({
      1: { samples: 30, events: 0, behind: 0, newer: 0 },
      2: { samples: 29, events: 0, behind: 1, newer: 0 },
    });
    expect(await liveVersion(t.db, f, "rd-gap", "staging")).toBe(2);

    // Scored now; and more v2 traffic arrives, not scored yet: newer than what was read, it holds nothing back.
    await scorePendingSamples(t.db, undefined, { limit: 10_000 });
    await generations("rd-gap", 2, 5, 0);
    const done = await check("rd-gap");
    expect(done).toMatchObject({ live: 2, baseline: 1, action: "rolled_back" });
    expect(done.read).toEqual({
      1: { samples: 30, events: 0, behind: 0, newer: 0 },
      2: { samples: 30, events: 0, behind: 0, newer: 5 },
    });
    expect(await liveVersion(t.db, f, "rd-gap", "staging")).toBe(1);
  });

  it("keeps what a check read when nothing is due: scored samples and feedback events per version", async () => {
    await promotedAfterWindow("rd-quiet", 2, [25, 25], [25, 25], rule({ signals: ["feedback"] }));
    await ingestEvents(t.db, f.projectId, {
      events: Array.from({ length: 12 }, (_, i) => ({
        id: `rd-quiet-fb-${i}`,
        type: "feedback",
        prompt: "rd-quiet",
        version: 2,
        environment: "staging",
        subject: `fan-${i}`,
        value: 1,
      })),
    });
    const d = await check("rd-quiet");
    expect(d.action).toBe("none");
    expect(d.read).toEqual({
      1: { samples: 25, events: 0, behind: 0, newer: 0 },
      2: { samples: 25, events: 12, behind: 0, newer: 0 },
    });
  });
});
