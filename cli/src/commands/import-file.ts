// lectern import <name>.prompt.yml | <name>.prompt: one prompt file into the project through POST
// /api/v1/prompts/import, as a new prompt or its next version. A .prompt.yml's testData and evaluators become the
// prompt's tests dataset ("<name> tests") and its scorers in the same transaction, so an evaluation run on that
// dataset scores with them and needs no other step (docs/prompts-as-code.md).
import path from "node:path";
import { parse } from "yaml";
import { bool, str, type CommandResult, type Context } from "../context";
import { exitCodes, usageError } from "../errors";
import { kindOfPath, withoutExtension } from "../file-formats";

interface ImportFileAnswer {
  created: boolean;
  unchanged: boolean;
  prompt: { name: string };
  version: { version: number };
  warnings: string[];
}

/** Whether a path names a prompt file this command imports (Lectern's own YAML is `lectern push`'s). */
export const isPromptFile = (file: string): boolean => {
  const kind = kindOfPath(file);
  return kind === "prompt.yml" || kind === "dotprompt";
};

/** What a .prompt.yml holds for its tests, read here only to say where they went. */
function testsIn(source: string): { items: number; evaluators: number } | undefined {
  try {
    const doc: unknown = parse(source);
    if (!doc || typeof doc !== "object") return undefined;
    const { testData, evaluators } = doc as { testData?: unknown; evaluators?: unknown };
    const items = Array.isArray(testData) ? testData.length : 0;
    const count = Array.isArray(evaluators) ? evaluators.length : 0;
    return items || count ? { items, evaluators: count } : undefined;
  } catch {
    return undefined; // the server names what is wrong with the file
  }
}

export async function importPromptFileCommand(ctx: Context, file: string, source: string): Promise<CommandResult> {
  if (bool(ctx.flags, "dry-run"))
    throw usageError(`${file}: a prompt file's import has no dry run (lectern diff shows what a file would change)`, {
      file,
    });
  const format = kindOfPath(file) === "prompt.yml" ? "prompt.yml" : "dotprompt";
  const name = str(ctx.flags, "name");
  const r = await ctx
    .api()
    .post<ImportFileAnswer>("/api/v1/prompts/import", { format, source, ...(name ? { name } : {}) });
  const { out } = ctx;
  const what = r.created ? "created" : r.unchanged ? "unchanged" : `version ${r.version.version} added`;
  out.line(
    `${out.green(r.created ? "+" : r.unchanged ? "✓" : "↑")} ${r.prompt.name} ${what} (from ${path.basename(file)})`,
  );
  for (const w of r.warnings) out.warn({ file, message: w });
  const tests = format === "prompt.yml" ? testsIn(source) : undefined;
  if (tests)
    out.line(
      `  its tests: ${tests.items} item${tests.items === 1 ? "" : "s"} in the dataset "${r.prompt.name} tests", scored by its ${tests.evaluators} evaluator${tests.evaluators === 1 ? "" : "s"}: an evaluation run on that dataset needs no other step`,
    );
  return { exitCode: exitCodes.ok, result: { ...r, file: withoutExtension(path.basename(file)) } };
}
