// The SDK and a running experiment on a real server: one answer serves every subject, each subject
// gets the variant the server would assign, exposures and tracked events reach the results.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assign } from "../../lib/experiments/assign";
import { createClient, type LecternClient } from "../src/index";
import { eventually } from "./fake-server";
import { admin, baseUrl, newRuntimeKey, runningExperiment, serverVariant, twoVersions } from "./lectern";

const name = `sdk-exp-${Math.random().toString(36).slice(2, 8)}`;
let runtimeKey = "";
let experimentId = "";
let client: LecternClient;
let resolves = 0;

beforeAll(async () => {
  runtimeKey = await newRuntimeKey("sdk-exp");
  await twoVersions(name, ["A {{q}}", "B {{q}}"], [{ name: "q" }]);
  experimentId = await runningExperiment({
    prompt: name,
    name: "SDK assignment",
    variants: [
      { key: "a", version: 1, weight: 0.3 },
      { key: "b", version: 2, weight: 0.7 },
    ],
    coverage: 0.9,
    seed: "sdk-seed",
  });
  const counting: typeof fetch = (input, init) => {
    if (String(input).includes("/prompts/resolve")) resolves++;
    return fetch(input, init);
  };
  client = createClient({ baseUrl, apiKey: runtimeKey, fetch: counting, onError: () => {}, push: false });
});
afterAll(async () => client?.close());

describe("the SDK in an experiment", () => {
  it("assigns every subject locally from one answer, exactly as the server does", async () => {
    const variants = [
      { key: "a", weight: 0.3 },
      { key: "b", weight: 0.7 },
    ];
    for (let i = 0; i < 300; i++) {
      const subject = `user-${i}`;
      const p = await client.getPrompt(name, { subject });
      const expected = assign({ seed: "sdk-seed", coverage: 0.9, variants }, subject);
      expect(p.experiment?.variant ?? null).toBe(expected?.key ?? null);
      expect(p.render({ q: "?" })).toBe(expected?.key === "b" ? "B ?" : "A ?");
      if (i % 50 === 0) {
        // The server, asked about the same subject, agrees.
        expect(await serverVariant(name, subject, runtimeKey)).toBe(expected?.key ?? null);
      }
    }
    expect(resolves).toBe(1);
  });

  it("records exposures and tracked outcomes, which reach the experiment's results", async () => {
    for (let i = 0; i < 300; i++) {
      const p = await client.getPrompt(name, { subject: `user-${i}` });
      if (p.experiment)
        client.track({
          type: "outcome",
          prompt: name,
          version: p.version,
          subject: `user-${i}`,
          experimentId: p.experiment.id,
          variant: p.experiment.variant,
          value: i % 2 === 0,
        });
    }
    await client.flush();
    await eventually(
      async () => {
        const r = await admin<{
          arms: { variant: string; subjects: number; metrics: Record<string, { n: number }> }[];
        }>("GET", `/api/v1/experiments/${experimentId}/results`);
        const exposed = r.arms.reduce((n, a) => n + a.subjects, 0);
        const outcomes = r.arms.reduce((n, a) => n + (a.metrics.completed?.n ?? 0), 0);
        return exposed >= 250 && outcomes >= 250;
      },
      10_000,
      "exposures and outcomes in the results",
    );
    const r = await admin<{ arms: { variant: string; subjects: number }[] }>(
      "GET",
      `/api/v1/experiments/${experimentId}/results`,
    );
    const inExperiment = Array.from({ length: 300 }, (_, i) =>
      assign(
        {
          seed: "sdk-seed",
          coverage: 0.9,
          variants: [
            { key: "a", weight: 0.3 },
            { key: "b", weight: 0.7 },
          ],
        },
        `user-${i}`,
      ),
    ).filter(Boolean);
    expect(r.arms.reduce((n, a) => n + a.subjects, 0)).toBe(inExperiment.length);
  });

  it("assigns locally within a namespace share, as the server does, still from one answer", async () => {
    const other = `${name}-ns`;
    await twoVersions(other, ["A {{q}}", "B {{q}}"], [{ name: "q" }]);
    const namespace = { name: `sdk-${other}`, range: [0.2, 0.7] as [number, number] };
    const id = await runningExperiment({
      prompt: other,
      name: "SDK namespace",
      variants: [
        { key: "a", version: 1, weight: 0.5 },
        { key: "b", version: 2, weight: 0.5 },
      ],
      seed: "sdk-ns-seed",
      namespace,
    });
    const before = resolves;
    const variants = [
      { key: "a", weight: 0.5 },
      { key: "b", weight: 0.5 },
    ];
    let outside = 0;
    for (let i = 0; i < 200; i++) {
      const subject = `ns-user-${i}`;
      const p = await client.getPrompt(other, { subject });
      const expected = assign({ seed: "sdk-ns-seed", coverage: 1, variants, namespace }, subject);
      expect(p.experiment?.variant ?? null).toBe(expected?.key ?? null);
      if (!expected) outside++;
      if (i % 40 === 0) {
        expect(await serverVariant(other, subject, runtimeKey)).toBe(expected?.key ?? null);
      }
    }
    // About half the subjects are outside the 50% share; one answer served all 200.
    expect(outside).toBeGreaterThan(70);
    expect(outside).toBeLessThan(130);
    expect(resolves - before).toBe(1);
    // Leave nothing running for the suites that share this server.
    await admin("POST", `/api/v1/experiments/${id}/stop`, { decision: { keep: "control" } });
  });
});
