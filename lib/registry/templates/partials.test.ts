import { describe, it, expect } from "vitest";
import { chat } from "../../../test/contents";
import { thrown } from "../../../test/thrown";
import { contentSchema, type Content } from "../content";
import { checkPartialMap, collectPartials, partialText, resolvePartialGraph, textNode, walkPartials } from "./partials";

const text = (template: string, variables: { name: string; type?: string }[] = []): Content =>
  contentSchema.parse({ type: "text", template, variables });

describe("partialText / collectPartials", () => {
  it("joins chat messages with a blank line", () => {
    const c = chat([
      ["system", "A {{> x}}"],
      ["user", "B {{> y}} {{> x}}"],
    ]);
    expect(partialText(c)).toBe("A {{> x}}\n\nB {{> y}} {{> x}}");
    expect(collectPartials(c)).toEqual(["x", "y"]);
  });
});

describe("resolvePartialGraph", () => {
  const store: Record<string, Content> = {
    root: text("{{> header}} body {{> footer}}", [{ name: "body" }]),
    header: text("Hello {{name}} {{> brand}}", [{ name: "name" }]),
    footer: text("Bye {{> brand}}"),
    brand: text("ACME"),
  };
  const load = (n: string) => store[n];

  it("collects every reachable partial once, with its variables", () => {
    const g = resolvePartialGraph("root", load);
    expect(g.partials).toEqual({ header: "Hello {{name}} {{> brand}}", footer: "Bye {{> brand}}", brand: "ACME" });
    expect(g.declared.header).toEqual([{ name: "name", type: "string", required: true }]);
    expect(Object.keys(g.declared).sort()).toEqual(["brand", "footer", "header"]);
  });

  it("accepts unsaved root content", () => {
    const g = resolvePartialGraph({ name: "draft", content: text("{{> brand}}") }, load);
    expect(g.partials).toEqual({ brand: "ACME" });
  });

  it("reports a missing partial", () => {
    const err = thrown(() => resolvePartialGraph({ name: "r", content: text("{{> nope}}") }, load));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe("Partial nope does not exist or is not deployed");
    expect(err.details).toEqual({ partial: "nope" });
  });

  it("reports a missing root as not_found", () => {
    expect(thrown(() => resolvePartialGraph("ghost", load)).code).toBe("not_found");
  });

  it.each([
    ["self", { a: text("{{> a}}") }, ["a", "a"]],
    ["through the root", { a: text("{{> b}}"), b: text("{{> a}}") }, ["a", "b", "a"]],
    ["below the root", { a: text("{{> b}}"), b: text("{{> c}}"), c: text("{{> b}}") }, ["b", "c", "b"]],
  ])("reports a cycle %s", (_label, graph: Record<string, Content>, cycle) => {
    const err = thrown(() => resolvePartialGraph("a", (n) => graph[n]));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe(`Partial cycle: ${cycle.join(" → ")}`);
    expect(err.details).toEqual({ cycle });
  });

  // chain(n): p0 → p1 → … → pn, i.e. n levels of nesting below the root p0.
  const chain = (n: number): Record<string, Content> =>
    Object.fromEntries(Array.from({ length: n + 1 }, (_, i) => [`p${i}`, text(i < n ? `{{> p${i + 1}}}` : "leaf")]));

  it("allows exactly maxDepth levels", () => {
    const g = chain(8);
    expect(Object.keys(resolvePartialGraph("p0", (n) => g[n]).partials)).toHaveLength(8);
  });

  it("rejects one level more", () => {
    const g = chain(9);
    const err = thrown(() => resolvePartialGraph("p0", (n) => g[n]));
    expect(err.message).toMatch(/^Partials nest deeper than 8 levels: p0 → p1 → .* → p9$/);
  });

  it("honours a custom maxDepth", () => {
    const g = chain(3);
    expect(() =>
      resolvePartialGraph("p0", (n) => g[n], { limits: { maxDepth: 3, maxExpandedChars: 1e6 } }),
    ).not.toThrow();
    expect(() => resolvePartialGraph("p0", (n) => g[n], { limits: { maxDepth: 2, maxExpandedChars: 1e6 } })).toThrow(
      /nest deeper than 2 levels/,
    );
  });

  it("applies the depth limit to a shared partial reached by a longer path later", () => {
    // root → short → deep (depth 2), and root → a → b → c → d → e → f → g → short → deep (depth 10).
    const g: Record<string, Content> = {
      root: text("{{> short}} {{> a}}"),
      short: text("{{> deep}}"),
      deep: text("x"),
      a: text("{{> b}}"),
      b: text("{{> c}}"),
      c: text("{{> d}}"),
      d: text("{{> e}}"),
      e: text("{{> f}}"),
      f: text("{{> g}}"),
      g: text("{{> short}}"),
    };
    expect(() => resolvePartialGraph("root", (n) => g[n])).toThrow(/nest deeper than 8 levels/);
  });

  it("expands diamonds without exponential blow-up", () => {
    // Eight levels of two-way diamonds: 2^8 paths if every path were walked, 25 nodes if each is expanded once.
    const g: Record<string, Content> = {};
    let loads = 0;
    for (let i = 0; i < 8; i++) {
      g[`l${i}`] = text(`{{> l${i + 1}a}} {{> l${i + 1}b}}`);
      g[`l${i + 1}a`] = text(i < 7 ? `{{> l${i + 1}}}` : "a");
      g[`l${i + 1}b`] = text(i < 7 ? `{{> l${i + 1}}}` : "b");
    }
    expect(() =>
      resolvePartialGraph(
        "l0",
        (n) => {
          loads++;
          return g[n];
        },
        { limits: { maxDepth: 100, maxExpandedChars: 1e6 } },
      ),
    ).not.toThrow();
    expect(loads).toBeLessThan(Object.keys(g).length + 2);
  });
});

describe("walkPartials / checkPartialMap", () => {
  it("walks without loading anything for a leaf root", () => {
    const seen: string[] = [];
    walkPartials("r", (n) => (seen.push(n), { size: 1, includes: [] }));
    expect(seen).toEqual(["r"]);
  });

  it("accepts a complete map and rejects incomplete or cyclic ones", () => {
    const root = textNode("{{> a}}", "template");
    expect(() => checkPartialMap(root, { a: "{{> b}}", b: "x" })).not.toThrow();
    expect(() => checkPartialMap(root, { a: "{{> b}}" })).toThrow("Partial b does not exist or is not deployed");
    expect(() => checkPartialMap(root, { a: "{{> b}}", b: "{{> a}}" })).toThrow("Partial cycle: a → b → a");
  });

  it("ignores inherited object keys", () => {
    expect(() => checkPartialMap(textNode("{{> constructor}}", "template"), {})).toThrow(
      /Partial constructor does not exist/,
    );
  });
});

describe("expansion bombs", () => {
  // Nine prompts, each including the next seven times: within the depth limit, but 7^8 copies of the last.
  const bomb = (fanOut: number, levels = 9): Record<string, Content> => {
    const g: Record<string, Content> = {};
    for (let i = 0; i < levels; i++)
      g[`b${i}`] = text(
        i === levels - 1
          ? "lorem ipsum dolor sit amet"
          : Array.from({ length: fanOut }, () => `{{> b${i + 1}}}`).join(" "),
      );
    return g;
  };

  it.each([7, 10])("fan-out %i over nine levels is refused at once, naming where it explodes", (fanOut) => {
    const g = bomb(fanOut);
    const started = process.hrtime.bigint();
    const err = thrown(() => resolvePartialGraph("b0", (n) => g[n]));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toMatch(/^Partials expand .* to more than 1,000,000 characters \(b\d includes b\d \d+ times\)/);
    // Linear in the graph: a handful of nodes, not millions of expansions (not a timing assertion: a sanity bound of seconds).
    expect(Number(process.hrtime.bigint() - started) / 1e9).toBeLessThan(5);
  });

  it("counts every occurrence, not just distinct partials", () => {
    const g = bomb(3, 4); // 27 copies of 26 characters plus the tags: small
    const graph = resolvePartialGraph("b0", (n) => g[n]);
    expect(graph.expandedChars).toBeGreaterThan(27 * 26);
    expect(graph.expandedChars).toBeLessThan(2_000);
  });

  it("the same check guards a caller-supplied map (the SDK and the render path)", () => {
    const g = bomb(7);
    const map = Object.fromEntries(Object.entries(g).map(([k, v]) => [k, (v as { template: string }).template]));
    expect(() => checkPartialMap(textNode("{{> b1}}", "template"), map)).toThrow(/to more than 1,000,000 characters/);
  });
});
