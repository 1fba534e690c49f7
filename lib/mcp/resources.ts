// Skills over the Model Context Protocol (docs/mcp.md, docs/skills.md): each file of each skill the session's
// environment serves is a resource, `skill://<prompt name>/<path>` (the MCP skills extension's URI scheme,
// SEP-2640: the skill's path ends in its name), listed by resources/list and read by resources/read as text.
// Read fresh from the deployment log, like the discovery index (lib/skills): a promotion shows at once.
import type { Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import { encodePromptName } from "../registry/name-rules";
import { skillEntryFile } from "../registry/skills/skill-files";
import { servedSkillHeads, servedSkills, type ServedSkill } from "../skills/live-skills";
import { skillSummaries, type SkillSummary } from "../skills/skill-summary";
import { decodeCursor, encodeCursor } from "./cursor";
import type { McpPrincipal } from "./mcp-prompts";

export type McpResource = {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType: string;
  size: number;
  _meta?: Record<string, unknown>;
};

/** Resources listed at once; the cursor (cursor.ts) says the last URI of the page before. */
export const RESOURCE_PAGE = 100;

const scheme = "skill://";
const encodeSegments = (path: string) => path.split("/").map(encodeURIComponent).join("/");

/** A file's URI: the prompt's name and the file's path, each segment percent-encoded where it must be. */
export const skillUri = (name: string, path: string) => `${scheme}${encodePromptName(name)}/${encodeSegments(path)}`;

const mimeTypes: Record<string, string> = {
  md: "text/markdown",
  markdown: "text/markdown",
  txt: "text/plain",
  json: "application/json",
  yaml: "application/yaml",
  yml: "application/yaml",
  py: "text/x-python",
  sh: "text/x-shellscript",
  js: "text/javascript",
  ts: "text/x-typescript",
  html: "text/html",
  css: "text/css",
  csv: "text/csv",
  xml: "application/xml",
};
const mimeOf = (path: string) => mimeTypes[path.slice(path.lastIndexOf(".") + 1).toLowerCase()] ?? "text/plain";

function resourcesOf(s: SkillSummary): McpResource[] {
  return s.files.map(({ path, size, digest, mode }) => {
    // An executable file (a script) says so: installed from these resources, it must keep its mode.
    const meta = {
      "io.modelcontextprotocol.skills/digest": digest,
      "lectern/version": s.version,
      ...(mode === "0755" ? { "lectern/mode": mode } : {}),
    };
    return path === skillEntryFile
      ? {
          uri: skillUri(s.name, path),
          name: s.frontmatter.name,
          title: s.name,
          description: s.frontmatter.description,
          mimeType: "text/markdown",
          size,
          _meta: meta,
        }
      : { uri: skillUri(s.name, path), name: `${s.folder}/${path}`, mimeType: mimeOf(path), size, _meta: meta };
  });
}

/** resources/list: every file of every skill the environment serves, by URI, a page after `cursor`. */
export async function listSkillResources(
  db: Db,
  principal: McpPrincipal,
  environment: string,
  cursor?: string,
): Promise<{ resources: McpResource[]; nextCursor?: string }> {
  assertEnvironmentAllowed(principal, environment);
  const after = decodeCursor(cursor);
  const all = (await skillSummaries(db, await servedSkillHeads(db, principal.projectId, environment)))
    .flatMap(resourcesOf)
    .sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const rest = after === undefined ? all : all.filter((r) => r.uri > after);
  const page = rest.slice(0, RESOURCE_PAGE);
  return { resources: page, ...(rest.length > RESOURCE_PAGE ? { nextCursor: encodeCursor(page.at(-1)!.uri) } : {}) };
}

/** The skill and file a URI names: the longest prompt name it starts with, then the file's path. */
function locate(uri: string, skills: ServedSkill[]): { skill: ServedSkill; path: string } | undefined {
  if (!uri.startsWith(scheme)) return undefined;
  let segments: string[];
  try {
    segments = uri.slice(scheme.length).split("/").map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const byName = new Map(skills.map((s) => [s.name, s]));
  for (let cut = segments.length - 1; cut >= 1; cut--) {
    const skill = byName.get(segments.slice(0, cut).join("/"));
    const path = segments.slice(cut).join("/");
    if (skill && Object.hasOwn(skill.files, path)) return { skill, path };
  }
  return undefined;
}

/** resources/read: one file's text, as the environment serves its skill now. */
export async function readSkillResource(
  db: Db,
  principal: McpPrincipal,
  environment: string,
  uri: string,
): Promise<{ contents: { uri: string; mimeType: string; text: string }[] }> {
  assertEnvironmentAllowed(principal, environment);
  // Only the skills the URI can name: each of its leading segments, joined, is a prompt name it may mean.
  const segments = uri.startsWith(scheme) ? uri.slice(scheme.length).split("/") : [];
  const names = segments.slice(1).map((_, i) => segments.slice(0, i + 1).join("/"));
  let candidates: ServedSkill[] = [];
  try {
    candidates = await servedSkills(db, principal.projectId, environment, {
      names: names.map((n) => n.split("/").map(decodeURIComponent).join("/")),
    });
  } catch (e) {
    if (!(e instanceof URIError)) throw e;
  }
  const found = locate(uri, candidates);
  if (!found)
    throw new AppError("not_found", `No resource ${uri}: ${environment} serves no skill file there.`, { uri });
  const { skill, path } = found;
  return {
    contents: [{ uri, mimeType: path === skillEntryFile ? "text/markdown" : mimeOf(path), text: skill.files[path]! }],
  };
}
