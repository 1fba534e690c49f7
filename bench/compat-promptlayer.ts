// PromptLayer's templates.get beside resolve, over HTTP on the same instance and the same prompt (an L1 hit for
// both): POST /api/v1/prompts/resolve (rendered) and POST /api/compat/promptlayer/prompt-templates/{name} (label,
// input_variables: rendered too), as PromptLayer's client sends it. The compat get is a Next route (resolve is
// answered by Lectern's own server): the empty Next route of the same run is its floor. Rounds alternate; the
// median round of each is kept.
import { alternate, post } from "./mcp";
import type { Report } from "./report";
import type { Servers } from "./run-http";

export async function promptLayerBeside({ results, rows }: Report, { a, runtimeKey, quick }: Servers) {
  const json = { authorization: `Bearer ${runtimeKey}`, "content-type": "application/json" };
  const resolveBody = JSON.stringify({ name: "bench-prompt", variables: { name: "Ana" } });
  const getBody = JSON.stringify({ label: "production", input_variables: { name: "Ana" } });
  const getUrl = `${a.url}/api/compat/promptlayer/prompt-templates/bench-prompt`;
  const plHeaders = { "x-api-key": runtimeKey, "content-type": "application/json" };
  const seconds = quick ? 3 : 8;
  const resolve = () => post(`${a.url}/api/v1/prompts/resolve`, json, resolveBody, seconds, a.pid);
  const get = () => post(getUrl, plHeaders, getBody, seconds, a.pid);
  await post(`${a.url}/api/v1/prompts/resolve`, json, resolveBody, 2); // warm-up
  await post(getUrl, plHeaders, getBody, 2);
  const [resolved, got] = await alternate(resolve, get, quick ? 1 : 3);
  const out = { resolve: resolved, promptLayerGet: got };
  results.promptLayer = out;
  const cpu = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} µs CPU`);
  rows.push([
    "PromptLayer templates.get (label, input_variables), L1 hit",
    `${Math.round(out.promptLayerGet.rps)} req/s`,
    `p50 ${out.promptLayerGet.p50Ms} ms · p99 ${out.promptLayerGet.p99Ms} ms · ${cpu(out.promptLayerGet.serverCpuUsPerRequest)}`,
    `ratio ${(out.promptLayerGet.rps / out.resolve.rps).toFixed(2)} of resolve POST (${Math.round(out.resolve.rps)} req/s) · non-2xx ${out.promptLayerGet.non2xx}`,
  ]);
}
