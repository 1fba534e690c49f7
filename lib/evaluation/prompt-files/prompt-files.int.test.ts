// A .prompt.yml file's tests in Lectern: each GitHub-shaped file imported (under another name) then exported keeps
// its name, messages, model, parameters, testData and evaluators; an evaluation run on the imported dataset, naming
// no scorers, scores with the imported evaluators against the scripted model; a re-import is versioned, never
// doubled; a bad evaluator refuses the whole import.
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { auditLog, datasets, prompts } from "../../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { failure, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { localCaller } from "../../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../../test/llm-server";
import { getDatasetRow } from "../datasets";
import { createEvalRun, executeRun, getEvalRun, listEvalRunItems, parseCreateRunInput, type RunDeps } from "../runs";
import { newRunFormData } from "../runs/form-data";
import { githubShapedFiles } from "./examples.fixture";
import { exportPromptVersion, importPromptFile, testsDatasetName } from "./index";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;
let deps: RunDeps;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "prompt-files");
  server = await startLlmServer({
    script: {
      rules: [
        { match: "## Rubric", text: '{"reasoning": "It holds.", "score": 4}' },
        { match: "Reply good or bad", text: "This one is good." },
        { match: "Answer briefly: Is water wet?", text: "Yes." },
      ],
      default: { text: "I cannot say" },
    },
  });
  const caller = localCaller(server, { concurrency: 4, maxRetries: 0 });
  deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});

const importYml = (name: string, source: string) =>
  importPromptFile(f.ctx(f.editor), { format: "prompt.yml", name, source });

/** The keys a round trip keeps, compared as parsed YAML (jsonSchema as the JSON it holds). */
function kept(text: string) {
  const y = YAML.parse(text) as Record<string, unknown>;
  const { name, description, model, modelParameters, responseFormat, messages, testData, evaluators } = y;
  const jsonSchema = typeof y.jsonSchema === "string" ? (JSON.parse(y.jsonSchema) as unknown) : undefined;
  const trimmed = (messages as { role: string; content: string }[]).map((m) => ({ ...m, content: m.content }));
  return {
    name,
    description,
    model,
    modelParameters,
    responseFormat,
    jsonSchema,
    messages: trimmed,
    testData,
    evaluators,
  };
}

describe(".prompt.yml round trip through the tests dataset", () => {
  it.each(Object.entries(githubShapedFiles))("%s: import → export keeps what the file holds", async (key, source) => {
    const name = `gh/${key.replace(/ /g, "-")}`;
    const r = await importYml(name, source);
    expect(r.created).toBe(true);
    const out = await exportPromptVersion(t.db, f.projectId, name, "1", "prompt.yml");
    expect(kept(out.body)).toEqual(kept(source));
    // The display name is the file's, the prompt's name the one imported under.
    expect(r.prompt.name).toBe(name);
    expect(r.prompt.displayName).toBe((YAML.parse(source) as { name: string }).name);
  });

  it("warns, naming it, about an evaluator it keeps but cannot score", async () => {
    const r = await importYml("gh/warned", githubShapedFiles["sample with built-in"]!);
    expect(r.warnings).toEqual([
      'evaluator "echoes the word" is kept for the export but not scored: its text "{{word}}" reads the test\'s values, and no Lectern scorer reads it the same way',
    ]);
    const ds = await getDatasetRow(t.db, f.projectId, testsDatasetName("gh/warned"));
    expect(ds.scorers!.map((s) => [s.name, s.type])).toEqual([["similarity check", "llm_judge"]]);
  });
});

describe("an evaluation run on an imported .prompt.yml", () => {
  it("scores the imported dataset with the imported evaluators, with no other step", async () => {
    const r = await importYml("gh/run", githubShapedFiles["every kind"]!);
    // The prompt's model is the scripted server's (any model name reaches it).
    const run = await createEvalRun(
      f.ctx(f.editor),
      parseCreateRunInput({ prompt: "gh/run", version: r.version.version, dataset: testsDatasetName("gh/run") }),
      { enqueue: async () => {}, limits: null, models: null },
    );
    await executeRun(t.db, run.id, deps);
    const done = await getEvalRun(t.db, f.projectId, run.id);
    expect(done.status).toBe("completed");
    const items = await listEvalRunItems(t.db, f.projectId, run.id);
    expect(items.total).toBe(1);
    const scores = Object.fromEntries(
      (items.items[0]!.scores as { name: string; score: number; passed: boolean }[]).map((s) => [
        s.name,
        [s.score, s.passed],
      ]),
    );
    expect(Object.keys(scores)).toEqual([
      "exactly",
      "as expected",
      "ends with a period",
      "judged",
      "coherent",
      "fluent",
      "relevant",
      "grounded",
    ]);
    // "Yes." equals, equals the expected, ends with "."; the judge's answer names "good" (score 1).
    expect(scores.exactly).toEqual([1, true]);
    expect(scores["as expected"]).toEqual([1, true]);
    expect(scores["ends with a period"]).toEqual([1, true]);
    expect(scores.judged).toEqual([1, true]);
    // GitHub's built-in judges as Lectern's llm_judge: the scripted 4 of 5.
    expect(scores.coherent).toEqual([0.75, true]);
  });

  it("the new-run form starts from the dataset's scorers", async () => {
    await importYml("gh/form", githubShapedFiles.summarizer!);
    const form = await newRunFormData(projectContext(t.db, f.editor, f.projectId, noEvents));
    const offer = form.datasets.find((d) => d.name === testsDatasetName("gh/form"))!.scorers;
    expect(offer.defaultId).toBe("suggested");
    expect(offer.presets[0]!.scorers).toMatchObject([
      { name: "Output should start with Summary -", type: "regex", pattern: "^Summary \\-", flags: "i" },
    ]);
  });

  it("a string check that fails scores 0", async () => {
    await importYml("gh/fails", githubShapedFiles["failing tests"]!);
    const run = await createEvalRun(
      f.ctx(f.editor),
      parseCreateRunInput({ prompt: "gh/fails", version: 1, dataset: testsDatasetName("gh/fails") }),
      { enqueue: async () => {}, limits: null, models: null },
    );
    await executeRun(t.db, run.id, deps);
    const items = await listEvalRunItems(t.db, f.projectId, run.id);
    expect(items.total).toBe(2);
    for (const it of items.items)
      expect((it.scores as { name: string; score: number }[]).map((s) => [s.name, s.score])).toEqual([
        ["contains-never", 0],
        ["starts-with-never", 0],
      ]);
  });
});

describe("re-importing and refusing", () => {
  it("the same file changes nothing; other tests are a new dataset version", async () => {
    const source = githubShapedFiles["json object"]!;
    await importYml("gh/again", source);
    const name = testsDatasetName("gh/again");
    expect((await getDatasetRow(t.db, f.projectId, name)).currentVersion).toBe(1);
    const same = await importYml("gh/again", source);
    expect(same.unchanged).toBe(true);
    expect((await getDatasetRow(t.db, f.projectId, name)).currentVersion).toBe(1);
    await importYml("gh/again", source.replace("ocean tides", "volcanoes"));
    expect((await getDatasetRow(t.db, f.projectId, name)).currentVersion).toBe(2);
    const out = YAML.parse((await exportPromptVersion(t.db, f.projectId, "gh/again", "1", "prompt.yml")).body) as {
      testData: unknown;
    };
    expect(out.testData).toEqual([{ topic: "renewable energy" }, { topic: "volcanoes" }]);
  });

  it("other evaluators replace the scorers (an audit row), the items keep their version", async () => {
    const source = githubShapedFiles["json schema"]!;
    await importYml("gh/scorers", source);
    const ds = await getDatasetRow(t.db, f.projectId, testsDatasetName("gh/scorers"));
    const r = await importYml("gh/scorers", source.replace('contains: "name"', 'contains: "climate"'));
    expect(r.unchanged).toBe(true);
    const after = await getDatasetRow(t.db, f.projectId, ds.name);
    expect(after.currentVersion).toBe(1);
    expect(after.scorers).toMatchObject([{ name: "has-name", type: "contains", value: "climate" }]);
    const audit = await t.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.objectId, ds.id), eq(auditLog.action, "dataset.update")));
    expect(audit).toHaveLength(1);
  });

  it.each([
    [
      "an llm evaluator without choices",
      "  - name: j\n    llm:\n      modelId: m\n      prompt: p\n",
      /evaluators\[0\]\.llm\.choices/,
    ],
    [
      "a choice scored above 1",
      "  - name: j\n    llm:\n      modelId: m\n      prompt: p\n      choices: [{choice: a, score: 5}]\n",
      /between 0 and 1/,
    ],
    [
      "an evaluator with two ways",
      "  - name: s\n    string: {contains: a}\n    uses: github/fluency\n",
      /one of string, llm, uses/,
    ],
    ["a string check with no text", "  - name: s\n    string: {}\n", /one of equals, contains/],
  ])("refuses %s, writing nothing", async (_what, evaluators, message) => {
    const source = `name: Bad\nmessages:\n  - role: user\n    content: "{{q}}"\ntestData:\n  - q: x\nevaluators:\n${evaluators}`;
    const before = await t.db.select({ n: count() }).from(datasets);
    const e = await failure(importYml("gh/bad", source));
    expect(e.code).toBe("unprocessable");
    expect(e.message).toMatch(message);
    expect(await t.db.select().from(prompts).where(eq(prompts.name, "gh/bad"))).toEqual([]);
    expect(await t.db.select({ n: count() }).from(datasets)).toEqual(before);
  });
});
