// A SKILL.md's frontmatter judged as the agentskills.io reference validator (`skills-ref validate`) judges it,
// so that what Lectern stores and releases passes it: only the specification's fields (name, description,
// license, allowed-tools, metadata, compatibility); a name of lowercase letters, digits and single hyphens equal
// to its folder's; a description of 1–1,024 characters; compatibility of at most 500; metadata mapping names to
// text. Lectern's rules are a little stricter where the validator is loose (an ASCII name, a description that is
// text, metadata values that are text rather than numbers it would stringify), never looser. The reference
// validator splits SKILL.md at the first "---"s: a frontmatter holding "---" or a byte-order mark before it is
// read differently there, so both are refused. docs/skills.md lists the rules; skill-frontmatter.test.ts runs
// the reference validator on each case.
//
// Fields agents add on top (Claude Code's `disable-model-invocation`, `argument-hint`, a `version`, …) are not
// refused: saving moves them under `metadata`, as text (prepareSkillFiles), and says so in a warning
// (docs/decisions/skill-frontmatter.md says why).
import { isCollection, isMap, isScalar, parseDocument, Scalar, type Node, type YAMLMap } from "yaml";
import type { SkillProblem } from "./skill-paths";

/** The frontmatter fields the specification allows, and no others. */
export const specSkillFields = [
  "name",
  "description",
  "license",
  "allowed-tools",
  "metadata",
  "compatibility",
] as const;
const allowed = new Set<string>(specSkillFields);

export const maxSkillNameLength = 64;
export const maxSkillDescriptionLength = 1024;
export const maxSkillCompatibilityLength = 500;
export const skillNamePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const entry = "SKILL.md";
const at = (f: string) => `files["${entry}"].frontmatter.${f}`;

/** The last segment of a prompt's name: the folder a skill is installed in, and its frontmatter name. */
export const skillFolderName = (promptName: string): string => promptName.slice(promptName.lastIndexOf("/") + 1);

/** What the reference validator reads differently from the skills CLI: a byte-order mark, a "---" inside. */
export function frontmatterTextProblems(skillMd: string, yamlText: string): SkillProblem[] {
  const out: SkillProblem[] = [];
  if (skillMd.startsWith("\uFEFF"))
    out.push({
      rule: "frontmatter.start",
      field: `files["${entry}"]`,
      message: `${entry} must start with "---" itself: the reference validator reads no frontmatter after a byte-order mark`,
    });
  if (yamlText.includes("---"))
    out.push({
      rule: "frontmatter.dashes",
      field: `files["${entry}"]`,
      message: `${entry}'s frontmatter must not hold "---" (the reference validator ends the frontmatter at the first one): quote or reword it`,
    });
  return out;
}

/** Every rule the frontmatter's fields break. `promptName`'s last segment must be the name; omit to skip that. */
export function frontmatterProblems(data: Record<string, unknown>, promptName: string | undefined): SkillProblem[] {
  const out: SkillProblem[] = [];
  const extra = Object.keys(data).filter((k) => !allowed.has(k));
  if (extra.length)
    out.push({
      rule: "frontmatter.fields",
      field: at(extra[0]!),
      message: `Unexpected fields in frontmatter: ${extra.sort().join(", ")}. Only ${[...specSkillFields].sort().join(", ")} are allowed; keep others under metadata`,
    });
  const name = data.name;
  if (typeof name !== "string" || name === "")
    out.push({ rule: "name.required", field: at("name"), message: "The frontmatter must have a name (a string)" });
  else if (name.length > maxSkillNameLength || !skillNamePattern.test(name))
    out.push({
      rule: "name.format",
      field: at("name"),
      message: `The skill name "${name}" must be lowercase letters, digits and single hyphens, not starting or ending with a hyphen, at most ${maxSkillNameLength} characters`,
    });
  else if (promptName !== undefined && name !== skillFolderName(promptName))
    out.push({
      rule: "name.folder",
      field: at("name"),
      message: `The skill name "${name}" must equal the last segment of the prompt's name ("${skillFolderName(promptName)}"), as a skill's name equals its folder's`,
    });
  const description = data.description;
  if (typeof description !== "string" || description.trim() === "")
    out.push({
      rule: "description.required",
      field: at("description"),
      message: "The frontmatter must have a description (what the skill does and when to use it)",
    });
  else if (description.length > maxSkillDescriptionLength)
    out.push({
      rule: "description.length",
      field: at("description"),
      message: `The description must be at most ${maxSkillDescriptionLength} characters (it has ${description.length})`,
    });
  const compatibility = data.compatibility;
  if (
    compatibility !== undefined &&
    (typeof compatibility !== "string" || compatibility.length > maxSkillCompatibilityLength)
  )
    out.push({
      rule: "compatibility.format",
      field: at("compatibility"),
      message: `compatibility must be text of at most ${maxSkillCompatibilityLength} characters`,
    });
  for (const f of ["license", "allowed-tools"] as const)
    if (data[f] !== undefined && typeof data[f] !== "string")
      out.push({ rule: `${f}.format`, field: at(f), message: `${f} must be text` });
  const metadata = data.metadata;
  if (
    metadata !== undefined &&
    (metadata === null ||
      typeof metadata !== "object" ||
      Array.isArray(metadata) ||
      Object.values(metadata).some((v) => typeof v !== "string"))
  )
    out.push({ rule: "metadata.format", field: at("metadata"), message: "metadata must map names to text values" });
  return out;
}

// The frontmatter as the `skills` CLI finds it (skill-files.ts splitSkillMd reads it the same way).
const frontmatterPattern = /^(\uFEFF?---(\r?\n))(?:([\s\S]*?)\r?\n)?(---[ \t]*(?:\r?\n|$))/;

/**
 * The files as a save stores them: SKILL.md's top-level fields outside the specification moved under
 * `metadata`, each as text (a string as it is; a flow value as written: `true`, `1.0`, `[file]`; a block list or
 * map as JSON), with the names of the fields moved. Files are returned as they are when nothing moves, when the
 * frontmatter does not parse, when `metadata` is not a mapping, or when it already has a field of that name
 * (the rules then refuse).
 */
export function prepareSkillFiles(files: Record<string, string>): { files: Record<string, string>; moved: string[] } {
  const same = { files, moved: [] };
  const skillMd = files[entry];
  const m = skillMd === undefined ? null : frontmatterPattern.exec(skillMd);
  if (!m || !m[3]) return same;
  const src = m[3];
  const doc = parseDocument(src, { prettyErrors: false });
  if (doc.errors.length || !isMap(doc.contents)) return same;
  const root = doc.contents as YAMLMap;
  const keyOf = (k: unknown) => (isScalar(k) ? String(k.value) : String(k));
  const extra = root.items.filter((p) => !allowed.has(keyOf(p.key)));
  if (!extra.length) return same;
  const existing = root.get("metadata", true);
  if (existing !== undefined && !isMap(existing)) return same;
  if (isMap(existing) && extra.some((p) => existing.has(keyOf(p.key)))) return same;
  const meta = isMap(existing) ? existing : (doc.createNode({}) as YAMLMap);
  for (const p of extra) {
    const v = p.value as (Node & { range?: [number, number, number] }) | null;
    // A string as it is; a flow value (`true`, `1.0`, `[file]`) as written; a block list or map as JSON.
    const text =
      isScalar(v) && typeof v.value === "string"
        ? v.value
        : isCollection(v) && !v.flow
          ? JSON.stringify(v.toJSON())
          : v?.range
            ? src.slice(v.range[0], v.range[1]).trim()
            : "";
    const s = new Scalar(text);
    s.type = "QUOTE_DOUBLE";
    meta.set(keyOf(p.key), s);
    root.delete(p.key);
  }
  if (!isMap(existing)) root.set("metadata", meta);
  const eol = m[2]!;
  const yamlText = doc.toString({ lineWidth: 0 }).replace(/\n/g, eol);
  const rewritten = `${m[1]}${yamlText}${m[4]}${skillMd!.slice(m[0].length)}`;
  return { files: { ...files, [entry]: rewritten }, moved: extra.map((p) => keyOf(p.key)) };
}

/** The warning a save answers when it moved fields under metadata. */
export const movedFieldsWarning = (moved: string[]): string =>
  `${entry}: ${moved.join(", ")} ${moved.length > 1 ? "are" : "is"} not a field of the Agent Skills specification; moved under metadata (as text) so that the skill passes the reference validator`;
