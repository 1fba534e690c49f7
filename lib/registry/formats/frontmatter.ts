// A .prompt file's YAML frontmatter and template, split where the dotprompt library (1.1) splits them
// (its FRONTMATTER_AND_BODY_REGEX: `---` first, the YAML, a line `---`, the template), but in one pass: that regular expression backtracks quadratically on long runs of blank lines, and an
// import reads files from anyone. frontmatter.test.ts checks the two agree.

const isNewline = (c: string | undefined) => c === "\n" || c === "\r";
const isSpace = (c: string | undefined) => c !== undefined && /\s/.test(c);

/** After `---` at `at`: the index after the last newline of the whitespace that follows, if it has one. */
function afterFence(source: string, at: number): number | undefined {
  let i = at + 3;
  let last: number | undefined;
  while (i < source.length && isSpace(source[i])) {
    if (isNewline(source[i])) last = i + 1;
    i++;
  }
  return last;
}

export interface SplitFile {
  /** The YAML between the fences; undefined when the file has none (the whole file is the template). */
  frontmatter?: string;
  /** The template as the library renders it (trimmed when there is frontmatter, as the library does). */
  template: string;
}

export function splitFrontmatter(source: string): SplitFile {
  const none: SplitFile = { template: source };
  if (!source.startsWith("---")) return none;
  const start = afterFence(source, 0);
  if (start === undefined) return none;
  for (let p = start; p < source.length; p++) {
    if (!isNewline(source[p])) continue;
    const fence = source[p] === "\r" && source[p + 1] === "\n" ? p + 2 : p + 1;
    if (!source.startsWith("---", fence)) continue;
    const body = afterFence(source, fence);
    if (body === undefined) continue;
    const frontmatter = source.slice(start, p);
    if (frontmatter === "") return none;
    return { frontmatter, template: source.slice(body).trim() };
  }
  return none;
}
