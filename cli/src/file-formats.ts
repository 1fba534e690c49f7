// The three kinds of prompt file in a prompts directory: Lectern's own YAML (<name>.yaml, every field of a
// version), Dotprompt (<name>.prompt) and GitHub Models (<name>.prompt.yml). The last two are written and
// read by the server's own conversion (lib/registry/formats), bundled here, so a file means to the CLI what
// it means to the import endpoint; a file of those kinds may hold a version in another spelling than the
// server's (`{{&x}}` read back as `{{x}}`), so it is compared with what the version reads back as.
import type { Content } from "../../lib/registry/content";
import { contentSchema } from "../../lib/registry/content";
import { isAppError } from "../../lib/errors";
import { CliError, exitCodes } from "./errors";
import { partialLookup, readFile, writeFile } from "../../lib/registry/formats/files";
import { unimportedEvaluators } from "../../lib/registry/formats/prompt-yml";
import { serializePrompt, setFileVersion, type FileProblem, type PromptFileData } from "./prompt-file";

export type FileKind = "yaml" | "dotprompt" | "prompt.yml";
export const fileKinds: FileKind[] = ["yaml", "dotprompt", "prompt.yml"];
export const extensionOf: Record<FileKind, string> = {
  yaml: ".yaml",
  dotprompt: ".prompt",
  "prompt.yml": ".prompt.yml",
};

/** The kind of a file by its name; `.prompt.yml` before `.yml`, which is Lectern's YAML. */
export function kindOfPath(file: string): FileKind | undefined {
  if (file.endsWith(".prompt.yml")) return "prompt.yml";
  if (file.endsWith(".prompt")) return "dotprompt";
  if (file.endsWith(".yaml") || file.endsWith(".yml")) return "yaml";
  return undefined;
}

export function withoutExtension(file: string): string {
  const kind = kindOfPath(file);
  if (kind === "prompt.yml") return file.slice(0, -".prompt.yml".length);
  if (kind === "dotprompt") return file.slice(0, -".prompt".length);
  return file.replace(/\.(yaml|yml)$/, "");
}

/** Contents of other prompts, for the partials a file includes (the local files, else the server's). */
export type Partials = Map<string, Content>;

/** A version as a file of this kind. Throws the 422 AppError naming what the kind cannot carry. */
export function writeKind(kind: FileKind, name: string, data: PromptFileData, partials: Partials): string {
  if (kind === "yaml") return serializePrompt(data);
  return writeFile(kind, {
    name,
    description: data.description,
    content: data.content,
    ...(data.version !== null ? { version: data.version } : {}),
    partials: partialLookup(partials),
  });
}

/** Reads a Dotprompt or .prompt.yml file into the data a YAML file would hold. */
export async function readKind(
  kind: Exclude<FileKind, "yaml">,
  text: string,
  file: string,
  partials: Partials,
): Promise<{ data?: PromptFileData; problems: FileProblem[]; warnings: FileProblem[] }> {
  try {
    const r = await readFile(kind, text, partialLookup(partials));
    const content = contentSchema.safeParse(r.content);
    if (!content.success)
      return {
        problems: content.error.issues.map((i) => ({ file, field: i.path.map(String).join("."), message: i.message })),
        warnings: [],
      };
    return {
      data: { version: r.version ?? null, description: r.description ?? "", tags: [], content: content.data },
      problems: [],
      // A .prompt.yml's evaluators: push keeps the version only (the import endpoint makes them scorers).
      warnings: [...r.warnings, ...unimportedEvaluators(r)].map((message: string) => ({ file, message })),
    };
  } catch (e) {
    if (!isAppError(e)) throw e;
    const field = typeof e.details?.field === "string" ? e.details.field : undefined;
    return { problems: [{ file, ...(field ? { field } : {}), message: e.message }], warnings: [] };
  }
}

/** What a version reads back as once written as a file of this kind (the content itself for YAML). */
export async function asRead(kind: FileKind, name: string, content: Content, partials: Partials): Promise<Content> {
  if (kind === "yaml") return content;
  const text = writeKind(kind, name, { version: null, description: "", tags: [], content }, partials);
  const back = await readKind(kind, text, name, partials);
  if (!back.data) throw new Error(back.problems.map((p) => p.message).join("; "));
  return back.data.content;
}

/** Sets the version a file came from: `version:` (YAML), `lectern.version:` (Dotprompt), the header comment (.prompt.yml). */
export function setVersion(kind: FileKind, text: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 1)
    throw new Error(`${JSON.stringify(version)} is not a version number`);
  if (kind === "yaml") return setFileVersion(text, version);
  if (kind === "dotprompt") {
    // Only inside the frontmatter: a template line may start with the same words.
    const end = text.startsWith("---") ? text.indexOf("\n---", 3) : -1;
    if (end < 0) return `---\nlectern.version: ${version}\n---\n${text}`;
    const head = text.slice(0, end);
    const line = /^lectern\.version:.*$/m;
    return line.test(head)
      ? head.replace(line, `lectern.version: ${version}`) + text.slice(end)
      : text.replace(/^---[ \t]*\r?\n/, (fence) => `${fence}lectern.version: ${version}\n`);
  }
  const header = /^# lectern: version \d+/m;
  if (header.test(text)) return text.replace(header, `# lectern: version ${version}`);
  return `# lectern: version ${version}\n${text}`;
}

/** The --format flag: the kind of file a prompt pulled for the first time is written as. */
export function formatFlag(value: string | undefined): FileKind {
  const kind = value === undefined ? "yaml" : value === "yml" ? "yaml" : value;
  if (!(fileKinds as string[]).includes(kind))
    throw new CliError(
      `--format must be yaml, dotprompt or prompt.yml, not ${JSON.stringify(value)}`,
      exitCodes.usage,
      { code: "usage" },
    );
  return kind as FileKind;
}
