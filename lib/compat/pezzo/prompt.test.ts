import { describe, expect, it } from "vitest";
import { systemThenUser } from "../../../test/chat-template";
import { appErrorThrown } from "../../../test/app-error-thrown";
import { resolvedReply } from "../../../test/resolved-prompt";
import type { ResolvedPrompt } from "../../runtime/load";
import { pezzoPromptOf } from "./prompt";

const vars = (...names: string[]) => names.map((name) => ({ name, type: "string" as const, required: true }));

const refusal = (r: ResolvedPrompt) => appErrorThrown(() => pezzoPromptOf(r));

describe("a resolved prompt as Pezzo's answer", () => {
  it("writes variables, partials, literal braces and comments as Pezzo's client reads them", () => {
    const r = resolvedReply({
      template: 'Hi {{name}}{{! a note }}! {{> tone}}\nJSON: {"a": {{{n}}}}',
      variables: vars("name", "n"),
      partials: { tone: { version: 2, text: "Be {{style}}.", variables: vars("style") } },
    });
    expect(pezzoPromptOf(r)).toEqual({
      promptId: r.promptId,
      promptVersionSha: expect.stringMatching(/^v3\./),
      type: "Prompt",
      settings: { model: "gpt-4o-mini" },
      content: { prompt: 'Hi {name}! Be {style}.\nJSON: {"a": {n}}' },
    });
  });

  it("writes a chat prompt's messages", () => {
    const r = resolvedReply({
      type: "chat",
      template: systemThenUser("You help {{customer}}.", "{{question}}"),
      variables: vars("customer", "question"),
    });
    expect(pezzoPromptOf(r)).toMatchObject({
      type: "Chat",
      content: {
        messages: [
          { role: "system", content: "You help {customer}." },
          { role: "user", content: "{question}" },
        ],
      },
    });
  });

  it.each([
    ["a section", "Hi{{#vip}} VIP{{/vip}}", "section"],
    ["a dotted name", "Hi {{user.name}}", "attribute"],
    ["literal text Pezzo would fill", "Write {name} as is, {{who}}", "literal-variable"],
  ])("refuses %s, naming the construct", (_, template, construct) => {
    const e = refusal(resolvedReply({ template, variables: vars("vip", "user", "who") }));
    expect([e.code, e.details?.construct, e.details?.field]).toEqual(["unprocessable", construct, "template"]);
    expect(e.message).toMatch(/^Pezzo: template: /);
  });

  it("refuses a partial on an indented line, which Mustache indents and Pezzo's text would not", () => {
    const r = resolvedReply({
      template: "List:\n  {{> items}}\nEnd",
      partials: { items: { version: 1, text: "a\nb", variables: [] } },
    });
    expect(refusal(r).details?.construct).toBe("rendering");
  });

  it("refuses a placeholder, parts and a skill", () => {
    const chat = (template: unknown) => resolvedReply({ type: "chat", template: template as never });
    expect(refusal(chat([{ type: "placeholder", name: "history" }])).details?.construct).toBe("placeholder");
    expect(refusal(chat([{ role: "user", content: [{ type: "text", text: "x" }] }])).details?.construct).toBe("parts");
    expect(refusal(resolvedReply({ type: "skill", files: {} })).details?.construct).toBe("skill");
  });
});
