// A shadow answer for a candidate whose chat messages hold an image part and an image variable: the
// candidate's call and both judges (its scorer and the pairwise judge, in both orders) receive the
// images' bytes, and the stored row keeps no image data. Real sockets: the scripted model and a local
// TLS image host; no database is needed for one answer (the job around it: shadow.int.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  dataUrlOf,
  imageHostCa,
  jpegBytes,
  startImageHost,
  tinyPng,
  type ImageHost,
} from "../../../../test/image-host";
import { localCaller, loopbackOnly } from "../../../../test/llm-caller";
import { sha256Hex, startLlmServer, type LlmServer } from "../../../../test/llm-server";
import { createImageFetcher } from "../../../llm/image-fetch";
import { parseContent } from "../../../registry/content";
import { createScorerModels, parseScorerSpecs } from "../../../scorers";
import { answer, type ShadowTask } from "./shadow-answer";

let server: LlmServer;
let host: ImageHost;
beforeAll(async () => {
  host = await startImageHost();
  host.serve("/logo.png", { body: tinyPng, headers: { "content-type": "image/png" } });
  const seen = `sha256:${sha256Hex(tinyPng).slice(0, 16)}\\][\\s\\S]*sha256:${sha256Hex(jpegBytes).slice(0, 16)}\\]`;
  server = await startLlmServer({
    script: {
      rules: [
        { model: "judge", regex: `Grade[\\s\\S]*${seen}`, json: { reasoning: "Saw both.", score: 5 } },
        // Pairwise, having seen both images: the candidate's answer wins in whichever place it is shown.
        {
          model: "judge",
          regex: `<answer_a>\\na logo and a snapshot[\\s\\S]*${seen}`,
          json: { reasoning: "Saw both.", winner: "A" },
        },
        { model: "judge", regex: `Which answer[\\s\\S]*${seen}`, json: { reasoning: "Saw both.", winner: "B" } },
        { model: "judge", regex: "Grade", json: { reasoning: "Blind.", score: 1 } },
        { model: "judge", json: { reasoning: "Blind.", winner: "tie" } },
        { regex: seen, text: "a logo and a snapshot" },
      ],
      default: { text: "nothing" },
    },
  });
});
afterAll(async () => {
  await server.stop();
  await host.stop();
});

describe("a shadow answer with images", () => {
  it("sends the candidate and its judges the images, and stores none", async () => {
    const caller = localCaller(
      server,
      { maxRetries: 0 },
      { images: createImageFetcher({ allowPrivate: loopbackOnly(), ca: imageHostCa }) },
    );
    const [judge] = parseScorerSpecs([{ type: "llm_judge", mode: "pairwise", model: "judge", rubric: "Better?" }]);
    const task: ShadowTask = {
      rule: {
        id: "rule-1",
        projectId: "project-1",
        scorers: parseScorerSpecs([{ type: "llm_judge", model: "judge", rubric: "Describes both?", scale: "1-5" }]),
        shadow: {
          versions: [2],
          sampleRate: 1,
          maxCallsPerDay: 100,
          maxCostUsdPerDay: null,
          connection: null,
          judge: judge!,
        },
      },
      candidate: {
        name: "describe",
        version: 2,
        environment: "production",
        content: parseContent({
          type: "chat",
          template: [
            {
              role: "user",
              content: [
                { type: "text", text: "Describe:" },
                { type: "image", url: `${host.url}/logo.png` },
                { type: "image", variable: "snapshot" },
              ],
            },
          ],
          variables: [{ name: "snapshot", type: "image" }],
          config: { model: "candidate-model" },
        }),
        partials: {},
        missingPartials: [],
      },
      partials: {},
      sample: {
        id: 7,
        version: 1,
        input: { snapshot: dataUrlOf(jpegBytes, "image/jpeg") },
        output: "a logo",
        latencyMs: 100,
        costUsd: null,
      },
    };
    const row = await answer(
      task,
      createScorerModels(() => caller),
    );
    expect(row).toMatchObject({
      status: "done",
      output: "a logo and a snapshot",
      score: 1,
      preference: { winner: "candidate" },
    });
    const images = [
      { message: 0, part: 1, mediaType: "image/png", byteLength: tinyPng.length, sha256: sha256Hex(tinyPng) },
      { message: 0, part: 2, mediaType: "image/jpeg", byteLength: jpegBytes.length, sha256: sha256Hex(jpegBytes) },
    ];
    expect(server.requests.filter((r) => r.model === "candidate-model").map((r) => r.images)).toEqual([images]);
    // The scorer's judge and the pairwise judge in both orders: each user message at index 1.
    const judged = server.requests.filter((r) => r.model === "judge");
    expect(judged).toHaveLength(3);
    for (const r of judged) expect(r.images).toEqual(images.map((i) => ({ ...i, message: 1 })));
    expect(JSON.stringify(row)).not.toContain("base64");
  });
});
