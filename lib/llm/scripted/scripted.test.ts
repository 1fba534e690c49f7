// The built-in scripted model: deterministic answers derived from the prompt, through the real AI SDK path
// (callModel), never touching the network.
import { describe, expect, it } from "vitest";
import { callModel, embedTexts } from "../call-model";
import { createModelCaller } from "../model-caller";
import { parseConnection } from "../connection";
import { connectionLabel, SCRIPTED_LABEL } from "../provider-labels";
import { scriptedVerdict } from "./judge-answer";
import { scriptedAxAnswer } from "./reflect";
import { directivesOf, scriptedReply } from "./reply";
import { scriptedEmbedding } from "./model";

const fetched: string[] = [];
// Any network use fails the test: the caller's fetch records and refuses every request.
const caller = createModelCaller(
  { id: "s", name: SCRIPTED_LABEL, provider: "scripted", maxRetries: 0 },
  {
    fetch: (async (url: string) => {
      fetched.push(String(url));
      throw new Error("the scripted model must not fetch");
    }) as unknown as typeof fetch,
  },
);

const system =
  "You are a support agent for Acme.\nAnswer only from the knowledge base excerpt; if it does not cover the question, say you will escalate.";
const ticket = (name: string, t: string, kb: string) => `Customer: ${name}\nTicket:\n${t}\n\nKnowledge base:\n${kb}`;
const refund = ticket(
  "Ana",
  "I was charged twice this month.",
  "Duplicate charges are refunded within 5 business days.",
);

describe("the scripted model's answers", () => {
  it("answers from the material and follows the instructions it reads", () => {
    const concise = scriptedReply(`${system}\nKeep the reply under 40 words and end with one clear next step.`, refund);
    // Told to be brief, it skips the pleasantry.
    expect(concise).toMatch(/^Hi Ana\. Duplicate charges are refunded within 5 business days\./);
    expect(scriptedReply(system, refund)).toMatch(/^Hi Ana, thanks for reaching out\. Duplicate charges/);
    expect(concise).toContain("Next step:");
    expect(concise.split(/\s+/).length).toBeLessThanOrEqual(40);
    expect(scriptedReply(`${system}\nThis customer is a VIP: offer a direct callback.`, refund)).toContain("callback");
    // Not covered by the knowledge base: it escalates, as the instruction says.
    const laptop = ticket("Ben", "Can you recommend a laptop for gaming?", "Acme sells project-management software.");
    expect(scriptedReply(system, laptop)).toContain("I will escalate it");
    expect(scriptedReply("Reply with exactly: good answer", "q1")).toBe("good answer");
  });

  it("is deterministic, and without an instruction to be brief or give a next step it varies by input", () => {
    expect(scriptedReply(system, refund)).toBe(scriptedReply(system, refund));
    const answers = Array.from({ length: 30 }, (_, i) =>
      scriptedReply(system, ticket(`C${i}`, `Order ${i} has not arrived.`, "Orders ship within 2 days.")),
    );
    const long = answers.filter((a) => a.split(/\s+/).length > 120).length;
    const step = answers.filter((a) => a.includes("Next step")).length;
    expect(long).toBeGreaterThan(3);
    expect(long).toBeLessThan(27);
    expect(step).toBeGreaterThan(3);
    expect(step).toBeLessThan(27);
  });

  it("summarises in bullets or one sentence, keeping names and numbers", () => {
    const doc = "Ana Costa from Payments reports that 40 orders were delayed on Monday; the fix ships in 2 days.";
    expect(scriptedReply("", `Summarise the following report in at most 3 bullet points.\n\n${doc}`)).toBe(
      "- Ana Costa from Payments reports that 40 orders were delayed on Monday.\n- The fix ships in 2 days.",
    );
    expect(scriptedReply("", `Summarise the following report in one short sentence.\n\n${doc}`)).toMatch(
      /^Ana Costa.*\.$/,
    );
    expect(directivesOf("in at most {{max_bullets}} bullet points")).toMatchObject({ bullets: 3 });
  });

  it("judges by the facts an answer keeps, and compares two answers", () => {
    const prompt = (answer: string) =>
      `## Rubric\nKeeps names and numbers.\n\n## Input\n<input>\n{"document": "Ana reports 40 orders late."}\n</input>\n\n## Answer to grade\n<answer>\n${answer}\n</answer>`;
    const schema = { properties: { score: { type: "integer" } } };
    expect(scriptedVerdict("grade", prompt("Ana: 40 orders late."), schema)).toMatchObject({ score: 5 });
    expect(scriptedVerdict("grade", prompt("Some orders are late."), schema)).toMatchObject({ score: 1 });
    const pair = `## Rubric\nKeeps numbers.\n\n<input>\n40 orders\n</input>\n\n<answer_a>\nsome orders\n</answer_a>\n\n<answer_b>\n40 orders\n</answer_b>`;
    expect(scriptedVerdict("comparison", pair, undefined)).toMatchObject({ winner: "B" });
  });

  it("plays the optimizer's reflection: names what the low scores share and adds it to the instruction, tags kept", () => {
    const sys = "Your task is to generate new fields: `New Value`.\nNew Value (wire key: `newValue`): Improved value.";
    const minibatch = JSON.stringify([
      { input: { expected: "" }, prediction: { output: "word ".repeat(130) }, score: 0 },
      { input: { expected: "" }, prediction: { output: "Thanks." }, score: 0.5 },
    ]);
    const user = `Current Value: Help {{name}}.\n{{> shared/tone}}\n\nFeedback Summary: x\n\nMinibatch: ${minibatch}`;
    expect(scriptedAxAnswer(sys, user)).toBe(
      "newValue: Help {{name}}.\n{{> shared/tone}}\nKeep the reply under 120 words. End with one clear next step.",
    );
    const summary = scriptedAxAnswer(
      sys.replaceAll("New Value", "Feedback Summary").replace("newValue", "feedbackSummary"),
      user,
    );
    expect(summary).toBe(
      "feedbackSummary: 2 of 2 answers scored below 1: some answers are longer than 120 words; some answers end without a next step.",
    );
    expect(scriptedAxAnswer("You are a support agent.", user)).toBeUndefined();
  });
});

describe("the scripted connection", () => {
  it("answers through callModel, streamed or not, with JSON when asked, costing nothing and fetching nothing", async () => {
    const plain = await callModel(caller, {
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: system },
        { role: "user", content: refund },
      ],
    });
    expect(plain).toMatchObject({ costUsd: 0, usageReported: true, finishReason: "stop", attempts: 1 });
    expect(plain.error).toBeUndefined();
    expect(plain.text).toContain("Duplicate charges are refunded");
    const streamed = await callModel(caller, { model: "m", prompt: "Reply with exactly: ok", stream: true });
    expect([streamed.text, typeof streamed.ttftMs]).toEqual(["ok", "number"]);
    const json = await callModel(caller, {
      model: "m",
      prompt: "Classify into one of: billing, bug, how-to, cancel, other.\n\nMessage: I was charged twice",
      responseFormat: {
        type: "json",
        schema: {
          type: "object",
          properties: { intent: { type: "string" }, confidence: { type: "number", minimum: 0, maximum: 1 } },
          required: ["intent", "confidence"],
        },
      },
    });
    expect(json.object).toMatchObject({ intent: "billing" });
    const cut = await callModel(caller, { model: "m", prompt: "Reply with exactly: a long answer here", maxTokens: 2 });
    expect([cut.text, cut.finishReason]).toEqual(["a long a", "length"]);
    const emb = await embedTexts(caller, { model: "e", values: ["orders were late", "late orders"] });
    expect(emb.embeddings).toHaveLength(2);
    expect(emb.costUsd).toBe(0);
    expect(fetched).toEqual([]);
  });

  it("stops when its call is aborted", async () => {
    const stop = new AbortController();
    stop.abort();
    const r = await callModel(caller, { model: "m", prompt: "hello", abortSignal: stop.signal });
    expect(r.error?.kind).toBe("aborted");
  });

  it("takes no endpoint and no key, and is named as the built-in scripted model", () => {
    expect(() =>
      parseConnection({ id: "x", name: "s", provider: "scripted", baseUrl: "https://a.example/v1" }),
    ).toThrow(/baseUrl must not be set for provider scripted/);
    expect(() => parseConnection({ id: "x", name: "s", provider: "scripted", apiKey: "k" })).toThrow(/apiKey/);
    expect(connectionLabel({ name: SCRIPTED_LABEL, provider: "scripted" })).toBe(
      "Built-in scripted model (no network, for the demo)",
    );
    expect(connectionLabel({ name: "Fake", provider: "scripted" })).toBe("Fake (built-in scripted model, no network)");
    expect(connectionLabel({ name: "OpenAI", provider: "openai" })).toBe("OpenAI");
    const near = (a: string, b: string) =>
      scriptedEmbedding(a).reduce((s, x, i) => s + x * scriptedEmbedding(b)[i]!, 0);
    expect(near("orders were late", "late orders")).toBeGreaterThan(near("orders were late", "password reset"));
  });
});
