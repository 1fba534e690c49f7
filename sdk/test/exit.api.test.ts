// Exposures of a running experiment, queued by the SDK in a script that then ends (sdk/test/exit-track-child.ts
// in a child process), against a real Lectern: a script that ends by itself and one that closes before
// process.exit() record every subject; one that calls process.exit() alone records none of its own and says so.
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "./fake-server";
import { runChild } from "./run-child";
import { admin, baseUrl, newRuntimeKey, runningExperiment, twoVersions } from "./lectern";

const name = `sdk-exit-${Math.random().toString(36).slice(2, 8)}`;
let runtimeKey = "";
let experimentId = "";

const subjects = async () =>
  (await admin<{ arms: { subjects: number }[] }>("GET", `/api/v1/experiments/${experimentId}/results`)).arms.reduce(
    (n, a) => n + a.subjects,
    0,
  );

async function script(mode: string, prefix: string, count = 5) {
  const { code, out } = await runChild(
    "exit-track-child.ts",
    [baseUrl, runtimeKey, mode, name, String(count), prefix],
    30_000,
  );
  expect(code, out).toBe(0);
  expect(out).toContain(`queued ${count}`);
  return out;
}

beforeAll(async () => {
  runtimeKey = await newRuntimeKey("sdk-exit");
  await twoVersions(name, ["A", "B"]);
  experimentId = await runningExperiment({
    prompt: name,
    name: "SDK exit",
    variants: [
      { key: "a", version: 1, weight: 0.5 },
      { key: "b", version: 2, weight: 0.5 },
    ],
    coverage: 1,
    seed: "sdk-exit-seed",
  });
});

describe("exposures queued when a script ends", () => {
  it("ending by itself, process.exit() alone, close() then process.exit()", async () => {
    const natural = await script("natural", "natural-");
    expect(natural).not.toContain("not sent");
    await eventually(
      async () => (await subjects()) === 5,
      10_000,
      "the 5 exposures of the script that ended by itself",
    );

    const exited = await script("exit", "exit-");
    expect(exited).toContain("5 event(s) were not sent: the process exited first");

    await script("close-exit", "closed-");
    // Exactly 10: the five of process.exit() alone never left their process (it is gone; none can arrive late).
    await eventually(async () => (await subjects()) === 10, 10_000, "the 5 exposures sent by close()");
    expect(await subjects()).toBe(10);
    await admin("POST", `/api/v1/experiments/${experimentId}/stop`, { decision: { keep: "control" } });
  }, 120_000);
});
