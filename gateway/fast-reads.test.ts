import { describe, expect, it } from "vitest";
import { READS } from "../lib/server/http/read-paths";
import { readAt } from "./fast-reads";

// Which requests Lectern's own server answers itself (gateway/fast-reads.ts): the reads' plain paths, decoded once as
// Next decodes them; anything Next would route elsewhere or refuse in its proxy goes on to Next.

describe("readAt", () => {
  it("takes the reads' paths, with their parameters decoded once", () => {
    expect(readAt("GET", "/api/compat/langsmith/commits/acme/a--b/latest", "")).toEqual({
      read: READS.langSmithPull,
      params: { owner: "acme", repo: "a--b", commit: "latest" },
    });
    expect(readAt("POST", "/api/compat/promptlayer/prompt-templates/support/reply", "")).toEqual({
      read: READS.promptLayerGet,
      params: { identifier: "support/reply" },
    });
    expect(readAt("HEAD", "/api/compat/promptlayer/prompt-templates/support%2Freply%2525", "label=x")).toEqual({
      read: READS.promptLayerGetRaw,
      params: { identifier: "support/reply%25" },
    });
    expect(readAt("GET", "/api/compat/pezzo/api/prompts/v2/deployment", "name=a")).toEqual({
      read: READS.pezzoGet,
      params: {},
    });
    expect(readAt("GET", "/api/v1/skills/lk_abc/.well-known/agent-skills/index.json", "")).toEqual({
      skills: "token",
      params: { token: "lk_abc", path: ".well-known/agent-skills/index.json" },
    });
    expect(readAt("GET", "/api/v1/skills/public/acme/.well-known/agent-skills/a.tar.gz", "")).toEqual({
      skills: "public",
      params: { project: "acme", path: ".well-known/agent-skills/a.tar.gz" },
    });
  });

  it.each([
    ["another method", "PUT", "/api/compat/promptlayer/prompt-templates/x", ""],
    ["a POST to a GET read", "POST", "/api/compat/langsmith/commits/a/b/c", ""],
    ["a shorter path", "GET", "/api/compat/langsmith/commits/a/b", ""],
    ["a longer path", "GET", "/api/compat/langsmith/commits/a/b/c/d", ""],
    ["a trailing slash", "GET", "/api/compat/langsmith/commits/a/b/c/", ""],
    ["an empty segment", "GET", "/api/compat/promptlayer/prompt-templates/a//b", ""],
    ["a dot segment", "GET", "/api/compat/promptlayer/prompt-templates/a/../b", ""],
    ["bad percent-encoding", "GET", "/api/compat/langsmith/commits/a/%ZZ/c", ""],
    ["a NUL in the path", "GET", "/api/compat/langsmith/commits/a/%00/c", ""],
    ["a NUL in the query", "GET", "/api/compat/pezzo/api/prompts/v2/deployment", "name=a%00"],
    ["the skills publication", "GET", "/api/v1/skills/published", ""],
    ["under published", "GET", "/api/v1/skills/published/x", ""],
    ["a project without a path", "GET", "/api/v1/skills/public/acme", ""],
    ["a key without a path", "GET", "/api/v1/skills/lk_abc", ""],
    ["another compat path", "GET", "/api/compat/langsmith/repos/a/b", ""],
    ["another API", "GET", "/api/v1/prompts/x", ""],
  ])("leaves %s to Next", (_n, method, path, search) => {
    expect(readAt(method, path, search)).toBeUndefined();
  });
});
