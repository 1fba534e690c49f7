// Shared by the guarded-rollout specs: support-reply's prompt page with the rollout form open, subjects resolving
// a prompt as the application would and reporting a generation on the version they got, and the rollouts job as
// the scheduler runs it.
import type { Locator, Page } from "@playwright/test";
import { ingestEvents } from "../lib/ingest/ingest";
import { chooseArm } from "../lib/runtime/experiment-arms";
import { loadResolved } from "../lib/runtime/load";
import { expect, hydrated, seedPrompt, signIn, type Seeded } from "./fixtures";
import { cron } from "./journey-calls";

/**
 * support-reply with one version per opening ("<opening> {{question}}"), version 1 live in production; an approver
 * on its page opens the guarded rollout form for version 2 in production. Returns the rollouts card.
 */
export async function rolloutFormOpen(page: Page, seeded: Seeded, openings: string[]) {
  const name = "support-reply";
  const reply = (text: string) => ({
    type: "text",
    template: `${text} {{question}}`,
    variables: [{ name: "question" }],
  });
  await seedPrompt(seeded, name, openings.map(reply), { live: ["production"] });
  await signIn(page, seeded.users.approver);
  await page.goto(`/${seeded.slug}/prompts/${name}`);
  await hydrated(page);

  const card = page.locator("#rollouts");
  await card.getByRole("button", { name: "Start guarded rollout…" }).click();
  await card.getByLabel("Rollout environment").selectOption("production");
  await card.getByLabel("Version to roll out").selectOption("2");
  return card;
}

/**
 * In the open rollout form: short steps (no minimum minutes, 20 subjects each; 25 per version), then Start rollout.
 * Returns the new rollout's panel for `version` in production, once it shows 5 % of subjects on that version.
 */
export async function startShortRollout(card: Locator, version: number) {
  for (const step of [1, 2, 3]) {
    await card.getByLabel(`Step ${step} Min. minutes`).fill("0");
    await card.getByLabel(`Step ${step} Min. subjects`).fill("20");
  }
  await card.getByLabel("Min. subjects per version").fill("25");
  await card.getByRole("button", { name: "Start rollout", exact: true }).click();
  const panel = card.getByRole("article", { name: `Version ${version} → production` });
  await expect(panel.getByTestId("rollout-share")).toContainText(`5 % of subjects on version ${version}`);
  return panel;
}

/**
 * Subjects `${tag}-${i}` for i in [from, from + n) resolve `prompt` in production, then send an exposure and a
 * generation with `latency(version, k)` on the version they got, k being the call's place among this round's calls
 * on that version (0, 1, 2, … on each). Not the subject's number: which numbers land on the new version depends on
 * the rollout's seed, new each run, so `1200 + (i % 50)` once gave the new version higher latencies by chance and
 * the guardrail rightly rolled back harmless traffic (run 42). From k, both versions carry the same values.
 * `phaseInIds` puts the rollout's phase in the event ids, so a later round may reuse the subjects.
 */
export async function rolloutTraffic(
  seeded: Seeded,
  prompt: string,
  traffic: {
    tag: string;
    from?: number;
    n: number;
    latency: (version: number, k: number) => number;
    phaseInIds?: boolean;
  },
) {
  const { tag, from = 0, n, latency } = traffic;
  const entry = await loadResolved(seeded.database.db, seeded.projectId, prompt, "production");
  const idTag = traffic.phaseInIds ? `${tag}-${entry.experiment?.phase}` : tag;
  const calls = new Map<number, number>();
  const events = Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const subject = `${tag}-${i}`;
    const c = chooseArm(entry, subject);
    if (c === "sticky") throw new Error("a rollout is never sticky");
    const version = c.arm.version;
    const common = { prompt, version, subject, environment: "production" };
    const place = calls.get(version) ?? 0;
    calls.set(version, place + 1);
    return [
      { id: `${idTag}-x-${i}`, type: "exposure", ...common },
      { id: `${idTag}-g-${i}`, type: "generation", ...common, latencyMs: latency(version, place) },
    ];
  }).flat();
  for (let i = 0; i < events.length; i += 1000)
    await ingestEvents(seeded.database.db, seeded.projectId, { events: events.slice(i, i + 1000) });
}

/**
 * The rollouts job, as the scheduler runs it each minute (waits while another run holds its lock). Fails, naming it,
 * when the job answers that a rollout's decision failed (the job keeps going and reports it; a test must not).
 */
export async function tickRollouts() {
  for (let i = 0; i < 50; i++) {
    const r = (await (await cron("rollouts")).json()) as {
      ran: boolean;
      result?: { rollouts?: { action: string; reason?: string; prompt: string }[] };
    };
    const failed = r.result?.rollouts?.find((x) => x.action === "error");
    if (failed) throw new Error(`the rollouts job failed on ${failed.prompt}: ${failed.reason}`);
    if (r.ran) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error("the rollouts job stayed locked");
}
