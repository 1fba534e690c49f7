// The reads agents and compatible clients make in a loop, answered by node:http itself through the framework-free
// cores the Next routes also call (lib/server/http/read-paths.ts, skills-paths.ts): PromptLayer's templates.get
// (POST) and raw template (GET), LangSmith's pull, Pezzo's getPrompt, and the files under a skills URL. Only a
// plain request is taken here — a path Next would route the same way, decodable, without "." segments, a query
// the proxy lets through; anything else goes on to Next, which answers it as it always has.
import type { IncomingMessage } from "node:http";
import { assertSafeQuery, decodePath } from "../lib/input-safety";
import { answerRead, READS, type ReadDef } from "../lib/server/http/read-paths";
import { answerSkills } from "../lib/server/http/skills-paths";
import * as skills from "../lib/server/http/endpoints/skills";
import type { RuntimeResponse } from "../lib/server/http/runtime-http";
import { pathOf, toRequest } from "./fast-path";

type Match =
  { read: ReadDef; params: Record<string, string> } | { skills: "token" | "public"; params: Record<string, string> };

const COMPAT = "/api/compat/";
const SKILLS = "/api/v1/skills/";

/** Which read a request is, with its path's parameters decoded once; undefined for anything else. */
export function readAt(method: string, path: string, search: string): Match | undefined {
  if (!path.startsWith(COMPAT) && !path.startsWith(SKILLS)) return undefined;
  let s: string[];
  try {
    s = decodePath(path).slice(1);
    if (search) assertSafeQuery(new URLSearchParams(search));
  } catch {
    return undefined; // Next's proxy refuses it, in its own words
  }
  if (s.some((x) => x === "" || x === "." || x === "..")) return undefined;
  const get = method === "GET" || method === "HEAD";
  const rest = (from: number) => s.slice(from).join("/");
  if (s[1] === "compat") {
    if (get && s.length === 7 && s[2] === "langsmith" && s[3] === "commits")
      return { read: READS.langSmithPull, params: { owner: s[4]!, repo: s[5]!, commit: s[6]! } };
    if (s.length >= 5 && s[2] === "promptlayer" && s[3] === "prompt-templates" && (get || method === "POST"))
      return { read: get ? READS.promptLayerGetRaw : READS.promptLayerGet, params: { identifier: rest(4) } };
    if (get && s.length === 7 && rest(2) === "pezzo/api/prompts/v2/deployment")
      return { read: READS.pezzoGet, params: {} };
    return undefined;
  }
  if (!get || s[1] !== "v1") return undefined;
  // /api/v1/skills/public/{project}/{path…}; /api/v1/skills/{token}/{path…} (not the words Next routes elsewhere)
  if (s[3] === "public")
    return s.length >= 6 ? { skills: "public", params: { project: s[4]!, path: rest(5) } } : undefined;
  if (s.length >= 5 && s[3] !== "published") return { skills: "token", params: { token: s[3]!, path: rest(4) } };
  return undefined;
}

/** The answer to a read, or undefined when Next answers the request. */
export function fastRead(req: IncomingMessage): Promise<RuntimeResponse> | undefined {
  const method = req.method ?? "";
  if (method !== "GET" && method !== "HEAD" && method !== "POST") return undefined;
  const url = req.url ?? "";
  const path = pathOf(url);
  const m = readAt(method, path, url.length > path.length ? url.slice(path.length + 1) : "");
  if (!m) return undefined;
  const rr = toRequest(req, path);
  if ("read" in m) return answerRead(m.read, rr, m.params);
  return answerSkills(m.skills === "public" ? skills.publishedSkillsFile : skills.skillsUrlFile, rr, m.params);
}
