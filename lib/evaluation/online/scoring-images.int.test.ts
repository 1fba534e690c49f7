// Online scoring of a live chat prompt with an image variable: the LLM judge of a production sample
// sees the image the live version sent with the sample's variables (rendered again from them), and
// the sample's variables with the data: URL described, not its data.
import { describe, expect, it } from "vitest";
import { dataUrlOf, jpegBytes } from "../../../test/image-host";
import { localCaller } from "../../../test/llm-caller";
import { sha256Hex } from "../../../test/llm-server";
import { f, rule, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { ingestEvents } from "../../ingest/ingest";
import { createPrompt } from "../../registry/prompts";
import { promoteVersion } from "../../release/promote";
import { createScorerModels } from "../../scorers";
import { getOnlineEvaluation, putOnlineEvaluation } from "./rules";
import { listSamples, scorePendingSamples } from "./scoring";

withOnlineDatabase("online-images");

describe("online scoring with images", () => {
  it("shows the judge of a live sample the image its variables carried", async () => {
    await createPrompt(f.ctx(f.editor), {
      name: "caption",
      type: "chat",
      template: [
        {
          role: "user",
          content: [
            { type: "text", text: "Caption this for {{audience}}:" },
            { type: "image", variable: "photo" },
          ],
        },
      ],
      variables: [{ name: "audience" }, { name: "photo", type: "image" }],
      config: { model: "scripted-model" },
    });
    await promoteVersion(f.ctx(f.approver), "caption", { environment: "staging", version: 1 });
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "caption",
      rule({ scorers: [{ type: "llm_judge", name: "fits", model: "judge-1", rubric: "Does it fit the photo?" }] }),
    );
    const photo = dataUrlOf(jpegBytes, "image/jpeg");
    const r = await ingestEvents(t.db, f.projectId, {
      events: [
        {
          id: "caption-1",
          type: "generation",
          prompt: "caption",
          version: 1,
          environment: "staging",
          subject: "u1",
          latencyMs: 10,
          input: { audience: "kids", photo },
          output: "A tiny picture.",
        },
      ],
    });
    expect(r.accepted).toBe(1);
    server.script({
      rules: [
        {
          match: `[image image/jpeg sha256:${sha256Hex(jpegBytes).slice(0, 16)}]`,
          json: { reasoning: "Matches the photo.", score: 5 },
        },
        { json: { reasoning: "No photo to compare with.", score: 1 } },
      ],
    });
    server.reset();
    const caller = localCaller(server, { maxRetries: 0 });
    const scored = await scorePendingSamples(t.db, () => createScorerModels(() => caller));
    expect(scored).toMatchObject({ scored: 1, failed: 0 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.images).toEqual([
      { message: 1, part: 1, mediaType: "image/jpeg", byteLength: jpegBytes.length, sha256: sha256Hex(jpegBytes) },
    ]);
    expect(server.requests[0]!.prompt).toContain('"photo": "[image: data:image/jpeg (1 KiB)]"');
    const online = await getOnlineEvaluation(t.db, f.projectId, "caption", "staging");
    const [sample] = await listSamples(t.db, online.id, 1);
    expect(sample).toMatchObject({ status: "scored", score: 1 });
  });
});
