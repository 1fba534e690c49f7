import { describe, expect, it } from "vitest";
import { isAppError } from "../../errors";
import { contentSchema, parseContent, type Content } from "../content";
import { describeDiff } from "./describe";
import { diffContent } from "./diff";
import { mergeContent } from "./merge";
import { renderContent } from "../templates/template";

const chat = (template: unknown[], variables: unknown[] = []) =>
  parseContent({ type: "chat", template, variables }) as Extract<Content, { type: "chat" }>;

const history = [
  { role: "user", content: "Where is my order {{order}}?" },
  { role: "assistant", content: "Let me check." },
];

describe("chat placeholders", () => {
  it("are stored as {type, name}; Langfuse's chatmessage tag on messages is dropped", () => {
    const c = chat(
      [
        { type: "chatmessage", role: "system", content: "You help {{who}}." },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{question}}" },
      ],
      [{ name: "who" }, { name: "question" }],
    );
    expect(c.template).toEqual([
      { role: "system", content: "You help {{who}}." },
      { type: "placeholder", name: "history" },
      { role: "user", content: "{{question}}" },
    ]);
  });

  it.each([
    [{ type: "placeholder", name: "1x" }, "placeholder name must start with a letter"],
    [{ type: "placeholder" }, "placeholder name must be a string"],
    [{ type: "other", name: "x" }, "each message must be {role, content} or a placeholder"],
  ])("refuses %j naming what is wrong", (entry, message) => {
    const r = contentSchema.safeParse({ type: "chat", template: [{ role: "user", content: "x" }, entry] });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toContain(message);
    expect(r.error!.issues[0]!.path.slice(0, 2)).toEqual(["template", 1]);
  });

  it("a placeholder and a variable may not share a name (the message names it)", () => {
    try {
      chat(
        [
          { role: "system", content: "Hello {{userName}}" },
          { type: "placeholder", name: "userName" },
        ],
        [{ name: "userName" }],
      );
      throw new Error("expected a failure");
    } catch (e) {
      expect(isAppError(e) && e.code).toBe("invalid_input");
      expect((e as Error).message).toMatch(/variables and placeholders must be unique.*userName/);
    }
  });

  it("render inserts the messages given for each placeholder, as given (not as templates)", () => {
    const c = chat(
      [
        { role: "system", content: "You help {{who}}." },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{question}}" },
        { type: "placeholder", name: "extra" },
      ],
      [{ name: "who" }, { name: "question" }],
    );
    const { rendered, warnings } = renderContent(c, {
      who: "Ann",
      question: "And now?",
      history,
      extra: [],
    });
    expect(rendered).toEqual([
      { role: "system", content: "You help Ann." },
      ...history,
      { role: "user", content: "And now?" },
    ]);
    expect(warnings).toEqual([]);
  });

  it("a missing placeholder is a missing value; a wrong one is an invalid value", () => {
    const c = chat([
      { role: "system", content: "Hi" },
      { type: "placeholder", name: "history" },
    ]);
    const fail = (values: Record<string, unknown>) => {
      try {
        renderContent(c, values);
      } catch (e) {
        if (isAppError(e)) return e;
      }
      throw new Error("expected an AppError");
    };
    const missing = fail({});
    expect(missing.code).toBe("missing_variables");
    expect(missing.details).toEqual({ missing: ["history"] });
    expect(missing.message).toContain("[] for none");
    for (const bad of ["text", [{ role: "", content: "x" }], [{ role: "user" }], {}]) {
      const e = fail({ history: bad });
      expect(e.code).toBe("invalid_variables");
      expect(e.details).toMatchObject({ invalid: [{ name: "history", expected: "messages" }] });
    }
  });

  it("takes messages of any role, as given (a tool's result as Langfuse's function, a custom role)", () => {
    const c = chat([{ type: "placeholder", name: "history" }]);
    const history = [
      { role: "function", content: "42" },
      { role: "critic", content: "Fine." },
    ];
    expect(renderContent(c, { history }).rendered).toEqual(history);
  });

  it("diffs and merges placeholders as entries of their own", () => {
    const a = chat([{ role: "system", content: "Hi" }]);
    const b = chat([
      { role: "system", content: "Hi" },
      { type: "placeholder", name: "history" },
    ]);
    expect(diffContent(a, b).summary.join(" ")).toContain("placeholder");
    const replaced = chat([
      { role: "system", content: "Hi" },
      { role: "user", content: "x" },
    ]);
    expect(describeDiff(diffContent(replaced, b))).toContain(
      "Message 2 (placeholder): role user → placeholder; 1 line changed",
    );
    const merged = mergeContent(a, b, a, { ours: "draft", theirs: "latest" });
    expect(merged.ok && merged.content.type === "chat" && merged.content.template).toEqual(b.template);
  });
});
