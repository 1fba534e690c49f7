// Batch resolve: 100 prompts in one request (GET names=…), against the same 100 fetched one by one.
import { api } from "../test/cluster/harness";
import { summarize, timeAsync } from "./stats";

export async function batchFetch(server: { url: string }, adminKey: string, runtimeKey: string, rounds: number) {
  const names = Array.from({ length: 100 }, (_, i) => `bench-batch/p${String(i).padStart(3, "0")}`);
  for (const name of names) {
    const created = await api(server, "POST", "/api/v1/prompts", adminKey, {
      name,
      type: "text",
      template: "Hi {{x}}",
      variables: [{ name: "x" }],
    });
    if (created.status !== 201) throw new Error(`create ${name}: ${created.status}`);
    await api(server, "POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, adminKey, {
      environment: "production",
      version: 1,
    });
  }
  const headers = { authorization: `Bearer ${runtimeKey}` };
  const batchUrl = `${server.url}/api/v1/prompts/resolve?names=${names.map(encodeURIComponent).join(",")}`;
  const batch = async () => {
    const res = await fetch(batchUrl, { headers });
    const body = (await res.json()) as { prompts: unknown[] };
    if (res.status !== 200 || body.prompts.length !== 100) throw new Error(`batch: ${res.status}`);
  };
  const oneByOne = async () => {
    for (const n of names) {
      const res = await fetch(`${server.url}/api/v1/prompts/resolve?name=${encodeURIComponent(n)}`, { headers });
      if (res.status !== 200) throw new Error(`resolve ${n}: ${res.status}`);
      await res.arrayBuffer();
    }
  };
  const batchUs = summarize(await timeAsync(batch, rounds, 20));
  const singleUs = summarize(await timeAsync(oneByOne, Math.max(5, Math.round(rounds / 10)), 2));
  return { batchMs: { p50: batchUs.p50 / 1000, p99: batchUs.p99 / 1000 }, oneByOneMs: { p50: singleUs.p50 / 1000 } };
}
