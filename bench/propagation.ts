// Propagation: from a rollback call returning to every server instance and an SDK client serving the
// new version. Each trial flips production between two versions and polls all observers at once.
import { summarize } from "./stats";

type Observer = { name: string; version: () => Promise<number | undefined> };

export async function propagation(opts: {
  admin: { base: string; key: string };
  prompt: string;
  observers: Observer[];
  trials: number;
}) {
  const { base, key } = opts.admin;
  const per: Record<string, number[]> = Object.fromEntries(opts.observers.map((o) => [o.name, []]));
  const all: number[] = [];
  const call: number[] = [];
  for (let i = 0; i < opts.trials; i++) {
    const target = i % 2 === 0 ? 2 : 1;
    const t0 = performance.now();
    const res = await fetch(
      // A deployment each way, never a rollback: a rolled-back version goes live again only when a person
      // confirms it (docs/decisions/rolled-back-versions.md), and this is automation.
      `${base}/api/v1/prompts/${encodeURIComponent(opts.prompt)}/deployments`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ environment: "production", version: target }),
      },
    );
    if (res.status !== 201) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
    const returned = performance.now();
    call.push(returned - t0);
    const seen = await Promise.all(
      opts.observers.map(async (o) => {
        const deadline = returned + 10_000;
        while (performance.now() < deadline) {
          if ((await o.version()) === target) return performance.now() - returned;
          await new Promise((r) => setTimeout(r, 1));
        }
        throw new Error(`${o.name} did not serve version ${target} within 10 s`);
      }),
    );
    opts.observers.forEach((o, j) => per[o.name]!.push(seen[j]!));
    all.push(Math.max(...seen));
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    callMs: summarize(call),
    allMs: summarize(all),
    perObserverMs: Object.fromEntries(Object.entries(per).map(([k, v]) => [k, summarize(v)])),
  };
}
