// What an LLM judge is shown when the prompt it judges sent images: its text first (a data: URL among
// the variables described, never its data), then the images, in the order the model received them.
import { describe, expect, it } from "vitest";
import { pairwiseJudgeMessages, singleJudgeMessages } from "./judge";
import { parseScorerSpecs } from "./spec";

const png = `data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==`;
const judge = (over: Record<string, unknown> = {}) =>
  parseScorerSpecs([{ type: "llm_judge", model: "j", rubric: "Describes the photo?", ...over }])[0] as Parameters<
    typeof singleJudgeMessages
  >[0];
const ctx = {
  output: "A red dot.",
  input: { photo: png, caption: "see" },
  images: ["https://img.example.com/logo.png", png],
};

describe("a judge of a prompt with images", () => {
  it("attaches the images after its text and describes the data: URL in the input", () => {
    const [system, user] = singleJudgeMessages(judge(), ctx);
    expect(typeof system!.content).toBe("string");
    expect(Array.isArray(user!.content)).toBe(true);
    const [text, ...images] = user!.content as Array<{ type: string; text?: string; url?: string }>;
    expect(images).toEqual([
      { type: "image", url: "https://img.example.com/logo.png" },
      { type: "image", url: png },
    ]);
    expect(text!.type).toBe("text");
    expect(text!.text).toMatch(
      /^## Rubric\nDescribes the photo\?\n\n## Input images\nThe 2 images the model was shown/,
    );
    expect(text!.text).toContain('"photo": "[image: data:image/png (1 KiB)]"');
    expect(text!.text).not.toContain("iVBORw0KGgo");
  });

  it("shows both pairwise orders the same images", () => {
    const spec = judge({ mode: "pairwise" });
    const forward = pairwiseJudgeMessages(spec, ctx, "a", "b")[1]!.content;
    const reverse = pairwiseJudgeMessages(spec, ctx, "b", "a")[1]!.content;
    expect((forward as unknown[]).slice(1)).toEqual((reverse as unknown[]).slice(1));
    expect((forward as unknown[]).length).toBe(3);
  });

  it("shows no image when it does not show the input, or when there is none", () => {
    expect(typeof singleJudgeMessages(judge({ includeInput: false }), ctx)[1]!.content).toBe("string");
    expect(typeof singleJudgeMessages(judge(), { ...ctx, images: [] })[1]!.content).toBe("string");
  });
});
