// The bench's client-side section: how fast a rollback or promotion reaches both instances and an SDK
// client, a batch resolve against one request per prompt, and the SDK's warm path.
import { api, type ServerProcess } from "../test/cluster/harness";
import { batchFetch } from "./batch";
import { propagation } from "./propagation";
import { ms, us, type Report } from "./report";
import type { Servers } from "./run-http";

export async function clients({ results, rows }: Report, { a, b, adminKey, runtimeKey, quick }: Servers) {
  // Propagation to both instances and an SDK client.
  const sdkPath = "../sdk/src/index";
  type SdkClient = { getPrompt(name: string): Promise<{ version: number }>; close(): Promise<void> | void };
  const sdk = (await import(sdkPath).catch(() => null)) as { createClient(o: object): SdkClient } | null;
  const client = sdk?.createClient({ baseUrl: b.url, apiKey: runtimeKey, environment: "production" });
  const version = (s: ServerProcess) => async () =>
    (await api(s, "GET", "/api/v1/prompts/resolve?name=bench-prompt", runtimeKey)).body?.version as number | undefined;
  const observers = [
    { name: "instance A (took the call)", version: version(a) },
    { name: "instance B", version: version(b) },
    ...(client
      ? [{ name: "SDK client (push)", version: async () => (await client.getPrompt("bench-prompt")).version }]
      : []),
  ];
  if (client) await client.getPrompt("bench-prompt");
  await new Promise((r) => setTimeout(r, 500));
  const prop = await propagation({
    admin: { base: a.url, key: adminKey },
    prompt: "bench-prompt",
    observers,
    trials: quick ? 10 : 40,
  });
  results.propagation = prop;
  rows.push([
    "rollback/promote call (click-to-live on the serving instance)",
    ms(prop.callMs.p50),
    ms(prop.callMs.p99),
    "< 0.5 s (seed: < 5 s)",
  ]);
  for (const [k, v] of Object.entries(prop.perObserverMs)) rows.push([`propagation → ${k}`, ms(v.p50), ms(v.p99), "—"]);
  rows.push(["propagation → all observers", ms(prop.allMs.p50), ms(prop.allMs.p99), "p99 ≤ 250 ms (seed: < 5 s)"]);

  const bf = await batchFetch(a, adminKey, runtimeKey, quick ? 50 : 300);
  results.batchFetch = bf;
  rows.push([
    "batch resolve, 100 prompts in one GET (L1 warm)",
    ms(bf.batchMs.p50),
    ms(bf.batchMs.p99),
    `one by one, sequential: p50 ${ms(bf.oneByOneMs.p50)}`,
  ]);

  // 3. SDK warm path.
  const sdkBenchPath = "../sdk/bench"; // optional: the SDK's own micro-benchmark
  const sdkBench = (await import(sdkBenchPath).catch(() => null)) as {
    benchSdk?: (o: object) => Promise<{ p50Us: number; p99Us: number }>;
  } | null;
  if (sdkBench?.benchSdk) {
    const s = await sdkBench.benchSdk({
      baseUrl: b.url,
      apiKey: runtimeKey,
      name: "bench-prompt",
      iterations: quick ? 20_000 : 200_000,
    });
    results.sdk = s;
    rows.push(["SDK getPrompt + render, warm", us(s.p50Us), us(s.p99Us), "p99 ≤ 5 µs"]);
    const subjects = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    const e = await sdkBench.benchSdk({
      baseUrl: b.url,
      apiKey: runtimeKey,
      name: "bench-exp",
      subjects,
      iterations: quick ? 20_000 : 200_000,
    });
    results.sdkExperiment = e;
    rows.push(["SDK getPrompt(subject) + render, warm, running experiment", us(e.p50Us), us(e.p99Us), "p99 ≤ 5 µs"]);
  }
  await client?.close();
}
