// The reads agents and compatible clients make in a loop, beside rendered resolve, over HTTP on one instance in one
// run: the skills discovery index of a skills key's URL, PromptLayer's templates.get
// (POST, rendered), LangSmith's pull (GET, by tag) and Pezzo's getPrompt — all answered by Lectern's own server
// (gateway/fast-reads.ts) — and POST /api/v1/prompts/resolve (rendered). Rounds go round-robin so drift in the
// machine's speed (it may be shared) hits each; the median round of each is kept, and ratios are within the run.
import { api } from "../test/cluster/harness";
import type { Report } from "./report";
import { hit, type Result } from "./mcp";
import type { Servers } from "./run-http";

export async function readsBeside({ results, rows }: Report, { a, adminKey, runtimeKey, quick }: Servers) {
  // A skill served in production, and a skills key whose URL serves it.
  const files = { "SKILL.md": "---\nname: bench-skill\ndescription: A skill for the bench.\n---\nDo the thing.\n" };
  await api(a, "POST", "/api/v1/prompts", adminKey, { name: "bench-skills/bench-skill", type: "skill", files });
  await api(a, "POST", "/api/v1/prompts/bench-skills%2Fbench-skill/deployments", adminKey, {
    environment: "production",
    version: 1,
  });
  const skillsKey = await api(a, "POST", "/api/v1/api-keys", adminKey, {
    name: "bench skills",
    scope: "skills",
    environments: ["production"],
  });
  const skillsPath = new URL(skillsKey.body.skillsUrl as string).pathname;
  const slug = (await api(a, "GET", "/api/v1/project", adminKey)).body.slug as string;
  const projectId = (await api(a, "GET", "/api/v1/project", adminKey)).body.id as string;

  const json = { "content-type": "application/json" };
  const cases: [string, string, "GET" | "POST", Record<string, string>, string | undefined][] = [
    [
      "resolve POST (rendered)",
      "/api/v1/prompts/resolve",
      "POST",
      { ...json, authorization: `Bearer ${runtimeKey}` },
      JSON.stringify({ name: "bench-prompt", variables: { name: "Ana" } }),
    ],
    [
      "skills index (GET …/.well-known/agent-skills/index.json)",
      `${skillsPath}/.well-known/agent-skills/index.json`,
      "GET",
      {},
      undefined,
    ],
    [
      "PromptLayer templates.get (POST, label, input_variables)",
      "/api/compat/promptlayer/prompt-templates/bench-prompt",
      "POST",
      { ...json, "x-api-key": runtimeKey },
      JSON.stringify({ label: "production", input_variables: { name: "Ana" } }),
    ],
    [
      "LangSmith pull (GET commits/{owner}/{repo}/production)",
      `/api/compat/langsmith/commits/${slug}/bench-prompt/production`,
      "GET",
      { "x-api-key": runtimeKey },
      undefined,
    ],
    [
      "Pezzo getPrompt (GET)",
      "/api/compat/pezzo/api/prompts/v2/deployment?name=bench-prompt&environmentName=Production",
      "GET",
      { "x-pezzo-api-key": runtimeKey, "x-pezzo-project-id": projectId },
      undefined,
    ],
  ];
  for (const [label, path, method, headers, body] of cases) {
    const r = await fetch(a.url + path, { method, headers, body });
    if (r.status !== 200) throw new Error(`${label}: ${r.status} ${await r.text()}`);
    await hit(a.url + path, method, headers, body, 2); // warm-up
  }
  const seconds = quick ? 3 : 8;
  const rounds: Result[][] = cases.map(() => []);
  for (let i = 0; i < (quick ? 1 : 3); i++)
    for (const [j, [, path, method, headers, body]] of cases.entries())
      rounds[j]!.push(await hit(a.url + path, method, headers, body, seconds, a.pid));
  const median = (xs: Result[]) => [...xs].sort((x, y) => x.rps - y.rps)[Math.floor(xs.length / 2)]!;
  const out = cases.map(([label], j) => ({ label, ...median(rounds[j]!) }));
  results.readsBesideResolve = out;
  const resolve = out[0]!;
  const cpu = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} µs CPU`);
  for (const r of out)
    rows.push([
      `fast read: ${r.label}`,
      `${Math.round(r.rps)} req/s`,
      `p50 ${r.p50Ms} ms · p99 ${r.p99Ms} ms · ${cpu(r.serverCpuUsPerRequest)} · non-2xx ${r.non2xx}`,
      r === resolve
        ? "the reads' reference (same run)"
        : `ratio ${(r.rps / resolve.rps).toFixed(2)} of resolve POST, p99 ${(r.p99Ms / resolve.p99Ms).toFixed(2)}× (target ≥ 0.5×)`,
    ]);
  return out;
}
