// getBundle with a subject against a real server (docs/decisions/bundles.md): while a bundle's guarded rollout ramps,
// each of 200 subjects gets every changed member's new version or none, the same side on every ask and the
// side each member's own resolve gives it. Names carry a random suffix: the server is shared.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type LecternClient } from "../src/index";
import { admin, baseUrl } from "./lectern";

if (!baseUrl)
  throw new Error("LECTERN_TEST_BASE_URL is not set: run the api tier through scripts/with-server.sh (npm test does).");

const suffix = Math.random().toString(36).slice(2, 8);
const bundle = `sdk-br-${suffix}/agent`;
const system = `sdk-br-${suffix}/system`;
const tools = `sdk-br-${suffix}/tools`;
const environment = `sdk-br-${suffix}`;
let rollout: { id: string; members: { prompt: string; rollout: string }[] };
let client: LecternClient;

beforeAll(async () => {
  const runtimeKey = (
    await admin<{ key: string }>("POST", "/api/v1/api-keys", { name: `sdk-br-${suffix}`, scope: "runtime" })
  ).key;
  await admin("POST", "/api/v1/environments", { name: environment });
  for (const name of [system, tools]) {
    await admin("POST", "/api/v1/prompts", { name, type: "text", template: `${name} v1` });
    await admin("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, { template: `${name} v2` });
  }
  await admin("POST", "/api/v1/bundles", { name: bundle, prompts: [system, tools] });
  await admin("POST", `/api/v1/bundles/${encodeURIComponent(bundle)}/releases`, {
    environment,
    versions: { [system]: 1, [tools]: 1 },
  });
  // Half the subjects, and a step that waits for more subjects than this test brings: it stays at 50 %.
  rollout = (
    await admin<{ rollout: typeof rollout }>("POST", `/api/v1/bundles/${encodeURIComponent(bundle)}/rollouts`, {
      environment,
      versions: { [system]: 2, [tools]: 2 },
      steps: [{ percent: 50, minMinutes: 0, minSubjects: 1_000_000 }, { percent: 100 }],
      reason: "SDK consistency test",
    })
  ).rollout;
  client = createClient({ baseUrl, apiKey: runtimeKey, environment, push: false, onError: () => {} });
});
afterAll(async () => client?.close());

describe("getBundle during a bundle's guarded rollout", () => {
  it("gives each of 200 subjects one side for every member, on every ask, as each member's resolve does", async () => {
    const sides = { new: 0, live: 0 };
    for (let i = 0; i < 200; i++) {
      const subject = `user-${i}`;
      const b = await client.getBundle(bundle, { subject });
      expect(b.subject).toBe(subject);
      expect(b.rollout?.id).toBe(rollout.id);
      const arm = b.rollout!.arm;
      const want = arm === "new" ? 2 : 1;
      for (const m of [system, tools]) {
        const p = b.prompts[m]!;
        expect([p.version, p.rollout?.arm], `${subject} ${m}`).toEqual([want, arm]);
        expect(p.rollout?.id).toBe(rollout.members.find((x) => x.prompt === m)!.rollout);
        expect(p.render()).toBe(`${m} v${want}`);
      }
      sides[arm]++;
      if (i % 20 === 0) {
        // Asked again, and asked of each member on its own: the same side.
        expect((await client.getBundle(bundle, { subject })).rollout?.arm).toBe(arm);
        for (const m of [system, tools]) expect((await client.getPrompt(m, { subject })).version).toBe(want);
      }
    }
    // 50 %: both sides get a fair share of 200 subjects.
    expect(sides.new).toBeGreaterThan(60);
    expect(sides.live).toBeGreaterThan(60);

    const anonymous = await client.getBundle(bundle);
    expect([anonymous.rollout, anonymous.subject, anonymous.prompts[system]!.version]).toEqual([null, null, 1]);
  });
});
