// The closed loop where prompts depend on each other (issue 42): a prompt that regresses after a release of a
// partial it includes, with no deployment of its own, is the partial's regression. The loop rolls the partial
// back (not the prompt), marks it, alerts on the prompt's rule naming the partial, and the partial's plan then
// says it was rolled back; a pinned partial does not follow the environment's releases, so it is never blamed.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { count, f, rule, t, withOnlineDatabase } from "../../../test/online-fixture";
import { check, subjectGenerations, subjects } from "../../../test/seams-fixture";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { planByName } from "../../release/plan-facts";
import { promote } from "../../release/promote";
import { putOnlineRule } from "./rules";

withOnlineDatabase("seams-partials");

/** `partial` v1 and v2 (v1 live in staging), and `prompt` v1 live there, including it as `ref`. */
async function composed(prompt: string, partial: string, ref = partial) {
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, { name: partial, type: "text", template: "Thank the customer." });
  await createVersion(ctx, partial, { template: "Be curt." });
  await promote(f.ctx(f.approver), partial, { environment: "staging", version: 1 });
  await createPrompt(ctx, {
    name: prompt,
    type: "text",
    template: `{{> ${ref}}} Answer {{customer}}.`,
    variables: [{ name: "customer" }],
  });
  await promote(f.ctx(f.approver), prompt, { environment: "staging", version: 1 });
  await putOnlineRule(f.ctx(f.approver), prompt, rule());
}

const ofPartial = (name: string) => sql`prompt_id = (select id from prompts where name = ${name})`;

describe("a partial's release that makes a prompt regress", () => {
  it("rolls the partial back, not the prompt, and says so everywhere", async () => {
    await composed("pt-reply", "pt-tone");
    await subjectGenerations("pt-reply", subjects(1, 30, 27));
    await promote(f.ctx(f.approver), "pt-tone", { environment: "staging", version: 2 });
    await subjectGenerations("pt-reply", subjects(1, 30, 3, "after"));

    const d = await check("pt-reply");
    expect(d).toMatchObject({ live: 1, action: "rolled_back", partial: { partial: "pt-tone", from: 1, to: 2 } });
    expect(d.reason).toMatch(/Automatic rollback of pt-tone from v2 to v1: pt-reply \(which includes it\) regressed/);
    expect(d.metrics[0]).toMatchObject({ name: "thanks", live: { n: 30 }, baseline: { n: 30 } });
    expect(await liveVersion(t.db, f, "pt-tone", "staging")).toBe(1);
    expect(await liveVersion(t.db, f, "pt-reply", "staging")).toBe(1);
    expect(await count("auto_rollbacks", ofPartial("pt-tone"))).toBe(1);
    expect(await count("auto_rollbacks", ofPartial("pt-reply"))).toBe(0);
    expect(
      await count(
        "alerts",
        sql`kind = 'auto_rollback' and ${ofPartial("pt-reply")} and details->'partial'->>'name' = 'pt-tone'`,
      ),
    ).toBe(1);
    // For the release plan, the partial's v2 was rolled back: only a person who confirms it may release it again.
    const plan = await planByName(t.db, f.projectId, "pt-tone", "staging", 2);
    expect(plan.steps[0]).toMatchObject({ id: "rolled_back", met: false });
    const job = await failure(
      promote({ ...f.ctx(f.approver), actor: { type: "system", label: "auto-promote" } }, "pt-tone", {
        environment: "staging",
        version: 2,
        confirmRolledBack: true,
      }),
    );
    expect(job.code).toBe("rolled_back");

    // The next check reads what the prompt renders since the partial's rollback (nothing yet): the prompt's own
    // version is never judged on the window the partial spoiled, and nothing flaps.
    const next = await check("pt-reply");
    expect(next).toMatchObject({
      live: 1,
      action: "skipped",
      partial: { partial: "pt-tone", action: "auto_rollback" },
    });
    expect(await liveVersion(t.db, f, "pt-reply", "staging")).toBe(1);
  });

  it("a smaller drop alerts about the partial's release and rolls nothing back", async () => {
    await composed("pt-alert", "pt-alert-tone");
    await subjectGenerations("pt-alert", subjects(1, 40, 38));
    await promote(f.ctx(f.approver), "pt-alert-tone", { environment: "staging", version: 2 });
    await subjectGenerations("pt-alert", subjects(1, 40, 28, "after"));
    const d = await check("pt-alert");
    expect(d).toMatchObject({ action: "alerted", partial: { partial: "pt-alert-tone", to: 2 } });
    expect(d.reason).toMatch(/^since pt-alert-tone v2 \(released in staging after v1\)/);
    expect(await liveVersion(t.db, f, "pt-alert-tone", "staging")).toBe(2);
  });

  it("a partial pinned to a version does not follow the environment's releases: never blamed", async () => {
    await composed("pt-pinned", "pt-pinned-tone", "pt-pinned-tone|version=1");
    await subjectGenerations("pt-pinned", subjects(1, 30, 27));
    await promote(f.ctx(f.approver), "pt-pinned-tone", { environment: "staging", version: 2 });
    await subjectGenerations("pt-pinned", subjects(1, 30, 3, "after"));
    const d = await check("pt-pinned");
    expect(d.partial).toBeUndefined();
    expect(await liveVersion(t.db, f, "pt-pinned-tone", "staging")).toBe(2);
  });
});
