// Prompt names: the rule, and how a name becomes a URL path or a file path. Zod-free so the SDK, the
// CLI and client components share it. The rule is Langfuse's (capitals, dots, spaces, brackets and
// any Unicode are fine; '|', HTML tags, the reserved page names and stray slashes are not), so every
// prompt a Langfuse project holds can move here under its own name, plus what a name must not be to
// stay addressable as a URL path and a file: control characters, "." or ".." as a folder, and
// whitespace at either end (Langfuse trims it on create; here it is refused so a name read back is
// the name written). Names are case-sensitive, as in Langfuse: "Greeting" and "greeting" are two prompts.

export const maxPromptNameLength = 255;
/** Names Langfuse refuses because its UI routes use them (a prompt so named could not be opened). */
export const reservedPromptNames = ["new", "metrics", "prompt-detail"] as const;

const htmlTag = /<[^<>]*>/;
const controlChar = /[\u0000-\u001f\u007f-\u009f]/;

/** What is wrong with a name, as a sentence naming the field, or undefined when it is a valid prompt name. */
export function promptNameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "name must be a string";
  if (name.length === 0) return "name cannot be empty";
  if (name.length > maxPromptNameLength) return `name must be at most ${maxPromptNameLength} characters`;
  if (name.trim() !== name) return "name cannot start or end with whitespace";
  if (name.startsWith("/")) return "name cannot start with a slash";
  if (name.endsWith("/")) return "name cannot end with a slash";
  if (name.includes("//")) return "name cannot contain consecutive slashes";
  if (name.includes("|"))
    return "name cannot contain the '|' character (it separates a partial's name from its label or version)";
  if (htmlTag.test(name)) return "name cannot contain HTML tags";
  if (controlChar.test(name)) return "name cannot contain control characters";
  if ((reservedPromptNames as readonly string[]).includes(name)) return `name cannot be '${name}'`;
  if (name.split("/").some((s) => s === "." || s === ".."))
    return "name cannot have '.' or '..' as a folder or as the name (they mean 'here' and 'up' in URLs and paths)";
  return undefined;
}

export const isPromptName = (value: unknown): value is string => promptNameProblem(value) === undefined;

// Bidirectional controls make a name read as another (U+202E turns "evil-txt.exe" around). Refused for new
// names only: a prompt named with one before stays reachable by its name.
export const bidiControl = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** promptNameProblem, and what a name given to a new prompt must not hold besides. */
export function newPromptNameProblem(name: unknown): string | undefined {
  const problem = promptNameProblem(name);
  if (problem || !bidiControl.test(name as string)) return problem;
  return "name cannot contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they make a name read as another";
}

// Unreserved in URLs (RFC 3986) and safe in file names on every common file system.
const plain = /^[A-Za-z0-9_~-]$/;
const utf8 = new TextEncoder();

function encodeSegment(segment: string): string {
  let out = "";
  for (const ch of segment) {
    // A dot is kept inside a segment; a leading one is encoded so no file or URL segment starts with
    // "." (hidden files; "." and ".." path steps).
    if (plain.test(ch) || (ch === "." && out !== "")) out += ch;
    else for (const byte of utf8.encode(ch)) out += `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/**
 * The one normalisation rule for URLs and files: a name's folders stay folders ('/'), and in each
 * segment every character outside A–Z a–z 0–9 '-' '_' '~' (and '.' after the first character) is
 * percent-encoded as UTF-8. "support/My Prompt [v2].x" → "support/My%20Prompt%20%5Bv2%5D.x": the
 * UI's URLs (/acme/prompts/<this>) and the CLI's files (prompts/<this>.yaml) use the same text, and
 * decoding each segment (decodeURIComponent) gives the name back.
 */
export function encodePromptName(name: string): string {
  return name.split("/").map(encodeSegment).join("/");
}

/** The name a path encodes (segments as in the URL or on disk), or undefined when a segment is not valid percent-encoding. */
export function decodePromptPath(segments: string[]): string | undefined {
  try {
    return segments.map((s) => decodeURIComponent(s)).join("/");
  } catch {
    return undefined;
  }
}

/** A name as one URL path segment ('/' encoded too), for API routes that take the name as one parameter. */
export const promptNameParam = (name: string): string => encodeURIComponent(name);
