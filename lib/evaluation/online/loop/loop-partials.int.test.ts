// The closed loop where prompts depend on each other (docs/decisions/partial-releases.md): a prompt that regresses
// after a release of a partial it includes, with no deployment of its own, is the partial's regression. The loop rolls
// the partial back (not the prompt), marks it, alerts on the prompt's rule naming the partial, and the partial's plan
// then says it was rolled back; a pinned partial does not follow the environment's releases, so it is never blamed.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { failure, liveVersion } from "../../../../test/domain-fixtures";
import { count, f, partialLiveIn, rule, t, withOnlineDatabase } from "../../../../test/online-fixture";
import { check, subjectGenerations, subjects } from "../../../../test/seams-fixture";
import { createPrompt } from "../../../registry/prompts";
import { planByName } from "../../../release/plan/plan-facts";
import { promoteVersion } from "../../../release/promote";
import { putOnlineEvaluation } from "../rules";

withOnlineDatabase("seams-partials");

/** `partial` v1 and v2 (v1 live in staging), and `prompt` v1 live there, including it as `ref`. */
async function composed(prompt: string, partial: string, ref = partial) {
  await partialLiveIn(partial, "Thank the customer.", "Be curt.");
  await createPrompt(f.ctx(f.editor), {
    name: prompt,
    type: "text",
    template: `{{> ${ref}}} Answer {{customer}}.`,
    variables: [{ name: "customer" }],
  });
  await promoteVersion(f.ctx(f.approver), prompt, { environment: "staging", version: 1 });
  await putOnlineEvaluation(f.ctx(f.approver), prompt, rule());
}

/** composed(prompt, partial, ref) served n subjects (`thanked[0]` thanked), then the partial's v2 released and n
 * more subjects served, `thanked[1]` thanked. */
async function partialReleased(prompt: string, partial: string, n: number, thanked: [number, number], ref = partial) {
  await composed(prompt, partial, ref);
  await subjectGenerations(prompt, subjects(1, n, thanked[0]));
  await promoteVersion(f.ctx(f.approver), partial, { environment: "staging", version: 2 });
  await subjectGenerations(prompt, subjects(1, n, thanked[1], "after"));
}

const ofPartial = (name: string) => sql`prompt_id = (select id from prompts where name = ${name})`;

describe("a partial's release that makes a prompt regress", () => {
  it("rolls the partial back, not the prompt, and says so everywhere", async () => {
    await partialReleased("pt-reply", "pt-tone", 30, [27, 3]);

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
      promoteVersion({ ...f.ctx(f.approver), actor: { type: "system", label: "auto-promote" } }, "pt-tone", {
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
    await partialReleased("pt-alert", "pt-alert-tone", 40, [38, 28]);
    const d = await check("pt-alert");
    expect(d).toMatchObject({ action: "alerted", partial: { partial: "pt-alert-tone", to: 2 } });
    expect(d.reason).toMatch(/^since pt-alert-tone v2 \(released in staging after v1\)/);
    expect(await liveVersion(t.db, f, "pt-alert-tone", "staging")).toBe(2);
  });

  it("a partial pinned to a version does not follow the environment's releases: never blamed", async () => {
    await partialReleased("pt-pinned", "pt-pinned-tone", 30, [27, 3], "pt-pinned-tone|version=1");
    const d = await check("pt-pinned");
    expect(d.partial).toBeUndefined();
    expect(await liveVersion(t.db, f, "pt-pinned-tone", "staging")).toBe(2);
  });
});

/** Partials `a` and `b`, each v1 live in staging with a v2, and `prompt` v1 live there including both. */
async function composedTwo(prompt: string, a: string, b: string) {
  for (const name of [a, b]) await partialLiveIn(name, "Thank the customer.", "Be curt.");
  await createPrompt(f.ctx(f.editor), {
    name: prompt,
    type: "text",
    template: `{{> ${a}}} {{> ${b}}} Answer {{customer}}.`,
    variables: [{ name: "customer" }],
  });
  await promoteVersion(f.ctx(f.approver), prompt, { environment: "staging", version: 1 });
  await putOnlineEvaluation(f.ctx(f.approver), prompt, rule());
}

const release = (name: string) => promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 2 });

/** `prompt` composed of `<prompt>-tone` and `<prompt>-policy` served 30 subjects (27 thanked), then both partials
 * released at once, then 30 more subjects, `good` of them thanked. */
async function releasedTogether(prompt: string, good: number) {
  await composedTwo(prompt, `${prompt}-tone`, `${prompt}-policy`);
  await subjectGenerations(prompt, subjects(1, 30, 27));
  await release(`${prompt}-tone`);
  await release(`${prompt}-policy`);
  await subjectGenerations(prompt, subjects(1, 30, good, "after"));
}

describe("several partials changed after the prompt's deployment", () => {
  it("far apart, the older release regressed: the older is rolled back, the newer stays, and nothing flaps", async () => {
    await composedTwo("pt2-far", "pt2-far-tone", "pt2-far-policy");
    await subjectGenerations("pt2-far", subjects(1, 30, 27));
    await release("pt2-far-tone");
    await subjectGenerations("pt2-far", subjects(1, 30, 3, "tone"));
    await release("pt2-far-policy");
    await subjectGenerations("pt2-far", subjects(1, 30, 3, "policy"));

    // The newest release compares bad with bad: only the older one's "before" shows the drop.
    const d = await check("pt2-far");
    expect(d).toMatchObject({ action: "rolled_back", partial: { partial: "pt2-far-tone", from: 1, to: 2 } });
    expect(d.partial!.together).toBeUndefined();
    expect(d.metrics[0]).toMatchObject({ live: { n: 30, mean: 0.1 }, baseline: { n: 30, mean: 0.9 } });
    expect(await liveVersion(t.db, f, "pt2-far-tone", "staging")).toBe(1);
    expect(await liveVersion(t.db, f, "pt2-far-policy", "staging")).toBe(2);
    expect(await count("auto_rollbacks", ofPartial("pt2-far-tone"))).toBe(1);
    expect(await count("auto_rollbacks", ofPartial("pt2-far-policy"))).toBe(0);

    // The tone's release is undone: it is not judged again, and the policy's still compares bad with bad.
    const next = await check("pt2-far");
    expect(next.action).not.toMatch(/rolled_back|withheld/);
    expect(await liveVersion(t.db, f, "pt2-far-policy", "staging")).toBe(2);
    expect(await count("auto_rollbacks", ofPartial("pt2-far-tone"))).toBe(1);
    expect(await count("alerts", sql`kind = 'rollback_withheld' and ${ofPartial("pt2-far")}`)).toBe(0);
  });

  it("too close to tell apart, with a regression: both are rolled back and the alert names both", async () => {
    await releasedTogether("pt2-near", 3);

    const d = await check("pt2-near");
    expect(d).toMatchObject({
      action: "rolled_back",
      partial: {
        partial: "pt2-near-policy",
        together: [
          { partial: "pt2-near-tone", from: 1, to: 2 },
          { partial: "pt2-near-policy", from: 1, to: 2 },
        ],
      },
    });
    expect(d.reason).toMatch(
      /^Automatic rollback of pt2-near-tone from v2 to v1 and pt2-near-policy from v2 to v1: pt2-near \(which includes them\) regressed in staging since pt2-near-tone v2 and pt2-near-policy v2 \(released within 1 minute of each other in staging: too close to tell apart\)/,
    );
    expect(d.metrics[0]).toMatchObject({ live: { n: 30 }, baseline: { n: 30 } });
    for (const name of ["pt2-near-tone", "pt2-near-policy"]) {
      expect(await liveVersion(t.db, f, name, "staging")).toBe(1);
      expect(await count("auto_rollbacks", sql`${ofPartial(name)} and version = 2 and to_version = 1`)).toBe(1);
      expect(await count("deployments", sql`${ofPartial(name)} and action = 'auto_rollback'`)).toBe(1);
    }
    const alerted = sql`kind = 'auto_rollback' and ${ofPartial("pt2-near")}
      and message like '%pt2-near-tone (v2 → v1) and pt2-near-policy (v2 → v1)%too close to tell apart%'
      and jsonb_array_length(details->'together') = 2`;
    expect(await count("alerts", alerted)).toBe(1);
    expect(await liveVersion(t.db, f, "pt2-near", "staging")).toBe(1);
  });

  it("without a regression nothing is rolled back", async () => {
    await releasedTogether("pt2-fine", 28);
    const d = await check("pt2-fine");
    expect(d.action).not.toMatch(/rolled_back|alerted|withheld/);
    expect(d.partial).toMatchObject({ partial: "pt2-fine-policy", to: 2 });
    for (const name of ["pt2-fine-tone", "pt2-fine-policy"]) {
      expect(await liveVersion(t.db, f, name, "staging")).toBe(2);
      expect(await count("auto_rollbacks", ofPartial(name))).toBe(0);
    }
  });
});
