// The scripted model follows the instructions it can recognise (docs/evaluation.md lists them), so that two
// versions differing in one of them answer differently and recognisably in the playground.
import { describe, expect, it } from "vitest";
import { demoPrompts } from "../../../db/seed";
import { scriptedReply } from "./reply";
import { styleOf } from "./style";

const system = "You are a support agent for Acme.\nAnswer only from the knowledge base excerpt.";
const user =
  "Customer: Ann\nTicket:\nMy order has not arrived after two weeks.\n\nKnowledge base:\nOrders ship within 2 days; tracking links are in the email.";
const reply = (extra: string) => scriptedReply(`${system}\n${extra}`, user);

describe("what the scripted model follows", () => {
  it("ends with the sign-off asked for: quoted, after 'as', or a plain one; none when told not to", () => {
    expect(reply('Sign off with "Cheers, the Acme team".')).toMatch(/\n\nCheers, the Acme team$/);
    expect(reply("Always sign off as Maya from Acme Support.")).toMatch(/\n\nMaya from Acme Support$/);
    expect(reply("End every reply with a sign-off.")).toMatch(/\n\nBest regards,\nThe support team$/);
    expect(reply("Reply in one short line, with no sign-off.")).not.toContain("\n\n");
    expect(reply("")).not.toContain("\n\n");
  });

  it("answers in the language asked for, keeping the material as it is", () => {
    const fr = reply("Always reply in French.");
    expect(fr).toMatch(/^Bonjour Ann, merci de nous avoir écrit\. Orders ship within 2 days/);
    expect(reply("Respond in Spanish.")).toMatch(/^Hola Ann/);
    expect(reply("Answer in German, please.")).toMatch(/^Hallo Ann/);
    // "Write in a warm tone" names no language.
    expect(styleOf("Write in a warm, plain and confident tone.")).toMatchObject({ language: "en" });
  });

  it("takes a named tone: formal, friendly, apologetic, enthusiastic", () => {
    expect(reply("Use a formal tone.")).toMatch(/^Dear Ann, thank you for contacting us\./);
    expect(reply("Be friendly and casual.")).toMatch(/^Hey Ann! /);
    expect(reply("Sound apologetic.")).toContain("I am truly sorry for the trouble");
    expect(reply("Be enthusiastic!")).toMatch(/^Hi Ann! Thanks so much/);
    expect(styleOf("Never be formal; informal is fine.").tone).toBeUndefined();
  });

  it("formats as JSON or a bullet list, and keeps to a sentence or word limit", () => {
    const json = JSON.parse(reply("Answer as a JSON object.")) as { reply: string };
    expect(json.reply).toMatch(/^Hi Ann, thanks for reaching out\./);
    expect(reply("Format the reply as a bullet list.")).toMatch(/^Hi Ann, thanks for reaching out\.\n- Orders ship/);
    expect(reply("Answer in at most one sentence.")).toBe(
      "Orders ship within 2 days; tracking links are in the email.",
    );
    expect(reply("Answer in at most three sentences.").split(/(?<=\.)\s/).length).toBeLessThanOrEqual(3);
    expect(reply("Keep the reply under 40 words. Sign off as Maya.").split(/\s+/).length).toBeLessThanOrEqual(40);
    // A structured call (a response format) is shaped by its schema, not wrapped in JSON again.
    expect(scriptedReply(`${system}\nAnswer as JSON.`, user, { structured: true })).not.toMatch(/^\{/);
  });

  it("answers the demo's support-reply versions differently where their instructions differ", () => {
    const tone = demoPrompts.find((p) => p.name === "shared/tone")!.versions[0].template;
    const support = demoPrompts.find((p) => p.name === "support-reply")!.versions;
    const systemOf = (v: (typeof support)[number]) =>
      v.template[0].content
        .replace("{{> shared/tone}}", tone)
        .replace("{{company}}", "Acme")
        .replace(/\{\{#is_vip\}\}.*?\{\{\/is_vip\}\}/s, "");
    // The playground's inputs in the tour, and a spread of others: v3 (under 120 words, a next step)
    // never answers as v2 does, and a sign-off added to v3 always shows.
    const inputs = Array.from({ length: 20 }, (_, i) =>
      user.replace("Ann", i ? `Customer${i}` : "Ann").replace("two weeks", `${i + 2} weeks`),
    );
    for (const input of inputs) {
      const v2 = scriptedReply(systemOf(support[1]), input);
      const v3 = scriptedReply(systemOf(support[2]), input);
      const v4 = scriptedReply(`${systemOf(support[2])}\nSign off with "Warm wishes, Acme".`, input);
      expect(v3).not.toBe(v2);
      expect(v3).toContain("Next step");
      expect(v4).toBe(`${v3}\n\nWarm wishes, Acme`);
    }
  });
});
