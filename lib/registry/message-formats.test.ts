// The model SDK shapes of rendered messages. The cases live in test/fixtures/message-formats.json, shared
// with the Python client (sdk-python/tests/test_formats.py): this test checks each expected shape against
// the TypeScript code, so the two clients cannot drift apart.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { formatMessages, toAiSdk, toAnthropic, toOpenAI, type RenderedChatMessage } from "./message-formats";

type Case = {
  label: string;
  rendered: string | RenderedChatMessage[];
  openai: unknown;
  anthropic: unknown;
};
const fixture = path.resolve(import.meta.dirname, "../../test/fixtures/message-formats.json");
const { cases } = JSON.parse(readFileSync(fixture, "utf8")) as { cases: Case[] };

const outcome = (run: () => unknown) => {
  try {
    return { output: run() };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { error: { code: e.code, message: e.message } };
  }
};

const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const withImages: RenderedChatMessage[] = [
  { role: "system", content: "You assess claims." },
  {
    role: "user",
    content: [
      { type: "text", text: "Claim for Ada:" },
      { type: "image", url: "https://cdn.example.com/policy.png" },
      { type: "image", url: `data:image/png;base64,${png}` },
    ],
  },
];

describe("message formats", () => {
  it("give each SDK its own image shape", () => {
    expect(toOpenAI(withImages)[1]!.content).toEqual([
      { type: "text", text: "Claim for Ada:" },
      { type: "image_url", image_url: { url: "https://cdn.example.com/policy.png" } },
      { type: "image_url", image_url: { url: `data:image/png;base64,${png}` } },
    ]);
    expect(toAnthropic(withImages)).toEqual({
      system: "You assess claims.",
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Claim for Ada:" },
            { type: "image", source: { type: "url", url: "https://cdn.example.com/policy.png" } },
            { type: "image", source: { type: "base64", media_type: "image/png", data: png } },
          ],
        },
      ],
    });
    expect(toAiSdk(withImages)).toEqual([
      { role: "system", content: "You assess claims." },
      {
        role: "user",
        content: [
          { type: "text", text: "Claim for Ada:" },
          { type: "image", image: "https://cdn.example.com/policy.png" },
          { type: "image", image: `data:image/png;base64,${png}`, mediaType: "image/png" },
        ],
      },
    ]);
    expect(formatMessages("Hello", "openai")).toEqual({ messages: [{ role: "user", content: "Hello" }] });
  });

  it("refuse what a format cannot carry, naming the message", () => {
    const systemImage = [{ role: "system", content: [{ type: "image" as const, url: "https://a.example/x.png" }] }];
    expect(() => toAnthropic(systemImage)).toThrow("Anthropic does not take images in a system message (messages[0])");
    expect(() => toAiSdk([{ role: "tool", content: "42" }])).toThrow(/takes a tool message only with tool results/);
  });

  it.each(cases.map((c) => [c.label, c] as const))("%s: the shared fixture is what this code gives", (_, c) => {
    expect(outcome(() => toOpenAI(c.rendered))).toEqual(c.openai);
    expect(outcome(() => toAnthropic(c.rendered))).toEqual(c.anthropic);
  });
});
