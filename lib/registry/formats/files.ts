// Prompt files without a database: which formats there are, their file names, and writing or reading one
// with a refusal turned into the one error shape. The CLI bundles this (no database code below it).
import type { Content } from "../content";
import { partialText } from "../templates/partials";
import { toDotprompt } from "./dotprompt-export";
import { fromDotprompt, type ImportedFile } from "./dotprompt-import";
import { AppError } from "../../errors";
import { FormatRefusal, refusalError } from "./ir";
import type { PartialLookup } from "./mustache-ir";
import { fromPromptYml, toPromptYml, type PromptYmlTests } from "./prompt-yml";
import { checkTagBudget, inTurn, tagCount } from "./reading-budget";

export const fileFormats = ["dotprompt", "prompt.yml"] as const;
export type FileFormat = (typeof fileFormats)[number];

/**
 * The largest file read: Handlebars' parser reads about 300,000 characters a second on one core, and the
 * import parses a file twice, so this bounds the time one request holds the event loop.
 */
export const maxFileChars = 256_000;

export const extensions: Record<FileFormat, string> = { dotprompt: ".prompt", "prompt.yml": ".prompt.yml" };
export const contentTypes: Record<FileFormat, string> = {
  dotprompt: "text/plain; charset=utf-8",
  "prompt.yml": "application/yaml; charset=utf-8",
};
export const formatNames: Record<FileFormat, string> = { dotprompt: "Dotprompt", "prompt.yml": ".prompt.yml" };

/** What each partial contributes, from contents already loaded (a chat prompt cannot be a file's partial). */
export const partialLookup =
  (contents: Map<string, Content>): PartialLookup =>
  (ref) => {
    const c = contents.get(ref);
    if (!c) return undefined;
    return c.type === "chat"
      ? { problem: `${ref} is a chat prompt; a file's partial is text` }
      : { text: partialText(c) };
  };

// The tree walks recurse once per nested block; a file nested deeper than the stack allows is refused. A refusal
// about the file as a whole (its syntax, its budget) names the request's field that holds it: source.
function asAppError(e: unknown, format: FileFormat): unknown {
  if (e instanceof FormatRefusal) {
    const err = refusalError(e, formatNames[format]);
    return e.field ? err : new AppError(err.code, err.message, { ...err.details, field: "source" });
  }
  if (e instanceof RangeError)
    return new AppError("unprocessable", `${formatNames[format]}: blocks are nested too deeply`, {
      construct: "nesting",
      field: "source",
      format: formatNames[format],
    });
  return e;
}

/** Refuses (422) a file past the reading budget, counted on its whole text in one pass. */
export function checkFileBudget(format: FileFormat, source: string): void {
  try {
    checkTagBudget(tagCount(source), "source");
  } catch (e) {
    throw asAppError(e, format);
  }
}

/** Writes content as a file; a construct the format cannot carry is a 422 naming it. */
export function writeFile(
  format: FileFormat,
  src: {
    name: string;
    description: string;
    content: Content;
    version?: number;
    partials: PartialLookup;
    /** .prompt.yml: the `name:` to write instead of the prompt's, and the tests dataset's testData and evaluators. */
    displayName?: string | null;
    tests?: PromptYmlTests;
  },
): string {
  // Only text and chat prompts have messages to write (a skill, or a type added later, is refused, not guessed at).
  const content = src.content;
  if (content.type !== "text" && content.type !== "chat")
    throw new AppError("unprocessable", `${formatNames[format]}: a ${content.type} prompt has no ${format} file`, {
      construct: content.type,
      format: formatNames[format],
    });
  try {
    return format === "dotprompt" ? toDotprompt(src) : toPromptYml(src);
  } catch (e) {
    throw asAppError(e, format);
  }
}

/**
 * Reads a file, in this process's turn (reading-budget.ts); a construct Lectern cannot carry, or a file past the
 * reading budget, is a 422 naming it. The budget is checked on the whole text first, before the file waits for
 * its turn (a file past it costs one pass over its characters); again, exactly, on what its YAML holds.
 */
export async function readFile(format: FileFormat, source: string, partials: PartialLookup): Promise<ImportedFile> {
  checkFileBudget(format, source);
  return inTurn(async () => {
    try {
      return format === "dotprompt" ? await fromDotprompt(source, partials) : fromPromptYml(source);
    } catch (e) {
      throw asAppError(e, format);
    }
  });
}

/** The file name a version downloads as: the prompt name's last segment, in plain characters. */
export function fileName(name: string, format: FileFormat): string {
  const base = (name.split("/").pop() ?? "prompt").replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || "prompt";
  return base + extensions[format];
}

// A partial tag as Handlebars or Mustache writes it; for loading what a file may include before reading it.
const partialTag = /\{\{~?>\s*([^\s}~()]+)/g;

/** The partial names a file may include (those not found are reported while reading it). */
export const partialNamesIn = (source: string): string[] => [
  ...new Set([...source.matchAll(partialTag)].map((m) => m[1]!)),
];
