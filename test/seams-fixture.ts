// Shared by the closed loop's seam tests (lib/evaluation/online/loop-*.int.test.ts): generation events one
// subject each (as the loop's windows count them), scored at once, and the loop's decision for a prompt.
// The database and project are online-fixture's.
import { noEvents } from "../lib/announcements";
import { ingestEvents } from "../lib/ingest/ingest";
import { runRegressionChecks, type LoopDecision } from "../lib/evaluation/online/loop/loop";
import { putOnlineEvaluation, type OnlineEvalInput } from "../lib/evaluation/online/rules";
import { scorePendingSamples } from "../lib/evaluation/online/scoring";
import { promoteVersion } from "../lib/release/promote";
import { f, nextSeq, promptLiveIn, rule, t } from "./online-fixture";

export type Gen = { version: number; good: boolean; subject: string; at?: Date };

/** One generation event per row (its subject, its time), then scored. */
export async function subjectGenerations(prompt: string, rows: Gen[]) {
  const events = rows.map((r) => ({
    id: `seam-${prompt}-${nextSeq()}`,
    type: "generation",
    prompt,
    version: r.version,
    environment: "staging",
    subject: r.subject,
    ...(r.at && { at: r.at.toISOString() }),
    latencyMs: 100,
    input: { customer: "Ana" },
    output: r.good ? "Thank you for waiting, Ana." : "Your refund is on its way.",
  }));
  await ingestEvents(t.db, f.projectId, { events });
  await scorePendingSamples(t.db, undefined, { limit: 10_000 });
}

/** n subjects of their own, the first `good` of them thanked. */
export const subjects = (version: number, n: number, good: number, prefix = `v${version}`): Gen[] => {
  const s = nextSeq();
  return Array.from({ length: n }, (_, i) => ({ version, good: i < good, subject: `${prefix}-${s}-${i}` }));
};

/** The loop's decision for the prompt, checking every rule. */
export const check = async (prompt: string): Promise<LoopDecision> =>
  (await runRegressionChecks(t.db, noEvents)).find((d) => d.prompt === prompt)!;

/**
 * `name` with `versions` versions under an online rule (the default one unless given), v1 live in staging: v1
 * serves `v1` = [subjects, good of them], then v2 is promoted and serves `v2` when given.
 */
export async function promotedAfterWindow(
  name: string,
  versions: number,
  v1: [number, number],
  v2?: [number, number],
  onlineRule: OnlineEvalInput = rule(),
) {
  await promptLiveIn(name, versions, 1);
  await putOnlineEvaluation(f.ctx(f.approver), name, onlineRule);
  await subjectGenerations(name, subjects(1, ...v1));
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 2 });
  if (v2) await subjectGenerations(name, subjects(2, ...v2));
}
