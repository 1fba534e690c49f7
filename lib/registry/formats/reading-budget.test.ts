// Reading a prompt file from anyone costs a bounded amount: past the tag budget, or holding a YAML alias, it is
// refused (422 naming the budget or the construct, and the field) before any parser runs; files are read one at
// a time per process, and past the waiting line a reader is told to come back (429).
import { describe, expect, it } from "vitest";
import { isAppError, type AppError } from "../../errors";
import { readFile } from "./files";
import { inTurn, maxFilesWaiting, maxFileTags } from "./reading-budget";

const none = () => undefined;
const dotprompt = (body: string, yaml = "model: openai/gpt-4o") => `---\n${yaml}\n---\n${body}`;
const promptYml = (content: string, extra = "") =>
  `name: big\n${extra}messages:\n  - role: user\n    content: ${JSON.stringify(content)}\n`;

async function refused(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected a refusal");
}

describe("the tag budget", () => {
  it("refuses a file past it before parsing, naming the budget and the field", async () => {
    const over = "{{x}} ".repeat(maxFileTags + 1);
    const dp = await refused(readFile("dotprompt", dotprompt(over), none));
    expect([dp.code, dp.details]).toEqual([
      "unprocessable",
      { construct: "tags", field: "source", format: "Dotprompt" },
    ]);
    expect(dp.message).toMatch(/1,001 tags .*at most 1,000 \(its reading budget\)/);
    // Counted on the whole text first, and again on what the YAML holds: escaped braces are tags there.
    const half = "\\u007B\\u007Bx}} ".repeat(maxFileTags / 2 + 1);
    const yml = await refused(
      readFile(
        "prompt.yml",
        `messages:\n  - role: system\n    content: "${half}"\n  - role: user\n    content: "${half}"\n`,
        none,
      ),
    );
    expect(yml.details).toMatchObject({ construct: "tags", field: "messages[1].content" });
  });

  it("refuses 33,000 tags (198 KB) at once, and reads a file at the budget", async () => {
    const big = "{{x}} ".repeat(33_000);
    expect((await refused(readFile("dotprompt", dotprompt(big), none))).details?.construct).toBe("tags");
    expect((await refused(readFile("prompt.yml", promptYml(big), none))).details?.construct).toBe("tags");
    const at = await readFile("dotprompt", dotprompt("{{x}} ".repeat(maxFileTags)), none);
    expect(at.content.type).toBe("text");
  });
});

describe("YAML aliases", () => {
  const bomb = [
    "a: &a [x, x, x, x, x, x, x, x, x]",
    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
  ].join("\n");

  it("are refused before they expand, in a Dotprompt frontmatter and a .prompt.yml", async () => {
    const dp = await refused(readFile("dotprompt", dotprompt("Hi", bomb), none));
    expect([dp.code, dp.details]).toEqual([
      "unprocessable",
      { construct: "yaml-alias", field: "frontmatter", format: "Dotprompt" },
    ]);
    const yml = await refused(readFile("prompt.yml", promptYml("Hi", `${bomb}\n`), none));
    expect(yml.details).toMatchObject({ construct: "yaml-alias", field: "source" });
    // One alias is enough: a file needs none.
    const one = await refused(readFile("dotprompt", dotprompt("Hi", "x: &x 1\ny: *x"), none));
    expect(one.details?.construct).toBe("yaml-alias");
  });
});

describe("turns", () => {
  it("reads one file at a time, in order, and refuses a reader past the waiting line", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = inTurn(async () => {
      order.push("first starts");
      await gate;
      order.push("first ends");
    });
    const queued = Array.from({ length: maxFilesWaiting }, (_, i) => inTurn(async () => void order.push(`q${i}`)));
    const over = await refused(inTurn(async () => order.push("never")));
    expect([over.code, over.details]).toEqual(["rate_limited", { limit: maxFilesWaiting, retryAfterSeconds: 5 }]);
    release();
    await Promise.all([first, ...queued]);
    expect(order).toEqual(["first starts", "first ends", ...queued.map((_, i) => `q${i}`)]);
    // The line is empty again: a reader is served at once.
    expect(await inTurn(async () => "again")).toBe("again");
  });
});
