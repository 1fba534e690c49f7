import { describe, expect, it } from "vitest";
import { suggestDeclaration } from "./suggest";

describe("suggestDeclaration", () => {
  it.each([
    ["a plain use is required", ["Hello {{name}}"], "name", "string", true],
    ["a triple-brace use is required", ["{{{html}}}"], "html", "string", true],
    [
      "used only inside its own section is optional",
      ["{{#order_id}}Order {{order_id}}{{/order_id}}"],
      "order_id",
      "string",
      false,
    ],
    [
      "used only inside another section is optional",
      ["{{#has_order}}Order {{order_id}}{{/has_order}}"],
      "order_id",
      "string",
      false,
    ],
    ["used only inside an inverted section is optional", ["{{^vip}}Dear {{name}}{{/vip}}"], "name", "string", false],
    ["a condition only is an optional boolean", ["{{#vip}}Thanks for being a VIP.{{/vip}}"], "vip", "boolean", false],
    [
      "an inverted condition only is an optional boolean",
      ["{{^premium}}Upgrade!{{/premium}}"],
      "premium",
      "boolean",
      false,
    ],
    ["used once outside a section is required", ["{{#name}}Hi {{name}}{{/name}} and {{name}}"], "name", "string", true],
    ["a dotted use is JSON", ["Hi {{user.name}}"], "user", "json", true],
    ["iterated with {{.}} is JSON and optional", ["{{#items}}- {{.}}\n{{/items}}"], "items", "json", false],
    ["a property inside its section is JSON", ["{{#items}}- {{.title}}{{/items}}"], "items", "json", false],
    [
      "{{.}} inside another section does not make it JSON",
      ["{{#flag}}{{#list}}{{.}}{{/list}}{{/flag}}"],
      "flag",
      "boolean",
      false,
    ],
    ["any piece using it plainly makes it required", ["{{#x}}{{x}}{{/x}}", "Then {{x}}"], "x", "string", true],
    ["a template that does not parse falls back to required text", ["{{#open"], "open", "string", true],
    ["a name the template does not use is required text", ["Hello"], "other", "string", true],
  ] as const)("%s", (_, texts, name, type, required) => {
    expect(suggestDeclaration([...texts], name)).toMatchObject({ type, required });
  });

  it("explains the suggestion", () => {
    expect(suggestDeclaration(["{{#a}}{{a}}{{/a}}"], "a").reason).toContain("sections");
    expect(suggestDeclaration(["{{a}}"], "a").reason).toBe("The template always shows it.");
  });
});
