// A chat prompt with an image part (an https URL, fetched by Lectern from a local TLS host) and an
// image variable (a data: URL in each dataset item) through an evaluation run and its LLM judge, on a
// real database and the scripted model, which records the images it received. The judge is scripted
// to give 5/5 only when both images reach it, so the run's score says the judge saw them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { seedProject, type Fixture } from "../../../test/domain-fixtures";
import { dataUrlOf, imageHostCa, jpegBytes, startImageHost, tinyPng, type ImageHost } from "../../../test/image-host";
import { localCaller, loopbackOnly } from "../../../test/llm-caller";
import { sha256Hex, startLlmServer, type LlmServer } from "../../../test/llm-server";
import { createImageFetcher } from "../../llm/image-fetch";
import { createPrompt } from "../../registry/prompts";
import { newRun } from "../../../test/eval-runs-fixture";
import { addItems, createDataset } from "../datasets";
import { executeRun, getEvalRun, listEvalRunItems, type RunDeps } from ".";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;
let host: ImageHost;
let deps: RunDeps;
let datasetId: string;

const png = { mediaType: "image/png", byteLength: tinyPng.length, sha256: sha256Hex(tinyPng) };
const jpeg = { mediaType: "image/jpeg", byteLength: jpegBytes.length, sha256: sha256Hex(jpegBytes) };
const marker = (i: { mediaType: string; sha256: string }) => `[image ${i.mediaType} sha256:${i.sha256.slice(0, 16)}]`;
const both = `${escape(marker(png))}[\\s\\S]*${escape(marker(jpeg))}`;
function escape(s: string) {
  return s.replace(/[[\]().*+?^$|\\/{}]/g, "\\$&");
}

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "run-images");
  host = await startImageHost();
  host.serve("/logo.png", { body: tinyPng, headers: { "content-type": "image/png" } });
  server = await startLlmServer({
    script: {
      rules: [
        // The judge (its messages hold "## Rubric"): 5 when it saw both images, else 1.
        { model: "judge-model", regex: both, json: { reasoning: "Both images were described.", score: 5 } },
        { model: "judge-model", json: { reasoning: "I cannot see the images.", score: 1 } },
        { regex: both, text: "A red pixel logo and a JPEG snapshot." },
      ],
      default: { text: "I see no image." },
    },
  });
  const caller = localCaller(
    server,
    { concurrency: 4, maxRetries: 0 },
    { images: createImageFetcher({ allowPrivate: loopbackOnly(), ca: imageHostCa }) },
  );
  deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, {
    name: "describe",
    type: "chat",
    template: [
      { role: "system", content: "Describe what you are shown." },
      {
        role: "user",
        content: [
          { type: "text", text: "Describe {{subject}}:" },
          { type: "image", url: `${host.url}/logo.png` },
          { type: "image", variable: "snapshot" },
        ],
      },
    ],
    variables: [{ name: "subject" }, { name: "snapshot", type: "image" }],
    config: { model: "scripted-model" },
  });
  const ds = await createDataset(ctx, { name: "snapshots", prompt: "describe" });
  datasetId = ds.id;
  await addItems(ctx, ds.id, [
    {
      input: { subject: "the logo and the snapshot", snapshot: dataUrlOf(jpegBytes, "image/jpeg") },
      tags: [],
      metadata: {},
    },
    // An image the run may not fetch: a private address (the item fails, named; the run goes on).
    { input: { subject: "an internal chart", snapshot: "https://10.0.0.7/chart.png" }, tags: [], metadata: {} },
  ]);
});
afterAll(async () => {
  await server.stop();
  await host.stop();
  await t.drop();
});

describe("an evaluation run on a chat prompt with images", () => {
  it("sends the model and its LLM judge both images, and stores no image data", async () => {
    const created = await newRun(f.ctx(f.editor), {
      prompt: "describe",
      version: 1,
      dataset: datasetId,
      scorers: [
        { type: "llm_judge", model: "judge-model", rubric: "Does the answer describe both images?", scale: "1-5" },
      ],
      concurrency: 2,
    });
    await executeRun(t.db, created.id, deps);
    const run = await getEvalRun(t.db, f.projectId, created.id);
    expect(run.status).toBe("completed");

    // The model got the fetched PNG and the item's JPEG, inline, in the user message (index 1).
    const answered = server.requests.filter((r) => r.model === "scripted-model");
    expect(answered).toHaveLength(1);
    expect(answered[0]!.images).toEqual([
      { message: 1, part: 1, ...png },
      { message: 1, part: 2, ...jpeg },
    ]);
    // The judge saw the same two images, after its own text; its text names the data: image, not its data.
    const judged = server.requests.filter((r) => r.model === "judge-model");
    expect(judged).toHaveLength(1);
    expect(judged[0]!.images).toEqual([
      { message: 1, part: 1, ...png },
      { message: 1, part: 2, ...jpeg },
    ]);
    expect(judged[0]!.prompt).toContain('"snapshot": "[image: data:image/jpeg (1 KiB)]"');
    expect(judged[0]!.prompt).not.toContain(Buffer.from(jpegBytes).toString("base64"));
    expect(host.requests).toEqual(["/logo.png"]);

    const { items } = await listEvalRunItems(t.db, f.projectId, created.id, { limit: 10 });
    const ok = items.find((i) => (i.input as { subject: string }).subject.startsWith("the logo"))!;
    expect(ok).toMatchObject({ output: "A red pixel logo and a JPEG snapshot.", score: 1, passed: true, error: null });
    expect(ok.scores[0]!.reason).toContain("Both images were described.");

    const refused = items.find((i) => (i.input as { subject: string }).subject === "an internal chart")!;
    expect(refused.error).toBe(
      "model call failed (refused): the image at messages[1].content[2] (https://10.0.0.7/chart.png) was not sent: " +
        "10.0.0.7 is a private address; image URLs may reach only public addresses unless the operator allows private ones (LECTERN_CONNECTIONS_ALLOW_PRIVATE)",
    );
    expect(refused.output).toBeNull();
    // No stored field of any item holds an image's data.
    expect(JSON.stringify(items.map(({ input: _input, ...rest }) => rest))).not.toMatch(/base64/);
  });

  it("a judge told not to show the input sees no image", async () => {
    server.reset();
    const created = await newRun(f.ctx(f.editor), {
      prompt: "describe",
      version: 1,
      dataset: datasetId,
      scorers: [
        {
          type: "llm_judge",
          model: "judge-model",
          rubric: "Is the answer polite?",
          scale: "1-5",
          includeInput: false,
        },
      ],
    });
    await executeRun(t.db, created.id, deps);
    const judged = server.requests.filter((r) => r.model === "judge-model");
    expect(judged).toHaveLength(1);
    expect(judged[0]!.images).toEqual([]);
    expect((await getEvalRun(t.db, f.projectId, created.id)).score).toBe(0); // 1/5, normalised
  });
});
