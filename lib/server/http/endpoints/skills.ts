// Agent skills for agents (docs/skills.md): under a skills key's URL, the Agent Skills Discovery index of the
// environment the key serves and the artifacts it points at. The key is the URL's token: no header, so that
// `npx skills add <skillsUrl>` works as it is.
import "server-only";
import { publishSkillsInput, skillPublicationResponse } from "@/lib/skills/publication";
import { endpoint, noContent } from "../endpoint";
import { publishedSkillsFileParams, skillsFileParams } from "../path-params";

const discoveryResponse = {
  contentType: "application/json",
  description:
    'The index {"$schema", "skills": [{name, type: "skill-md" | "archive", description, url, digest: "sha256:…"}]}; an artifact answers application/gzip, application/zip or text/markdown',
  schema: {
    type: "object",
    required: ["$schema", "skills"],
    properties: {
      $schema: { type: "string" },
      skills: {
        type: "array",
        items: {
          type: "object",
          required: ["name", "type", "description", "url", "digest"],
          properties: {
            name: { type: "string" },
            type: { enum: ["skill-md", "archive"] },
            description: { type: "string" },
            url: { type: "string" },
            digest: { type: "string", pattern: "^sha256:[0-9a-f]{64}$" },
          },
        },
      },
    },
  },
};

export const skillsUrlFile = endpoint({
  method: "GET",
  path: "/api/v1/skills/{token}/{path}",
  params: skillsFileParams,
  summary:
    "A skills key's URL: .well-known/agent-skills/index.json (the Agent Skills Discovery index, schema 0.2.0, of the skills its environment serves), and what it points at: <name>.tar.gz, <name>.zip, <name>/SKILL.md",
  scope: "skills",
  response: discoveryResponse,
});

export const publishedSkillsFile = endpoint({
  method: "GET",
  path: "/api/v1/skills/public/{project}/{path}",
  params: publishedSkillsFileParams,
  summary:
    "A project's published skills URL, which needs no key (off until an admin publishes): the discovery index of the skills it chose to publish, as one environment serves them, and what it points at",
  scope: "skills",
  response: discoveryResponse,
});

export const getSkillPublication = endpoint({
  method: "GET",
  path: "/api/v1/skills/published",
  summary: "What the project publishes without a key (404 when nothing is): environment, skills and the URL",
  scope: "admin",
  permission: "settings.manage",
  response: skillPublicationResponse,
});

export const publishSkills = endpoint({
  method: "PUT",
  path: "/api/v1/skills/published",
  summary:
    "Publishes these skills of one environment at a URL that needs no key (replacing what was published): for a skills-lock.json that holds no secret",
  scope: "admin",
  permission: "settings.manage",
  body: publishSkillsInput,
  response: skillPublicationResponse,
});

export const unpublishSkills = endpoint({
  method: "DELETE",
  path: "/api/v1/skills/published",
  summary: "Stops publishing: the URL that needs no key serves nothing from now on",
  scope: "admin",
  permission: "settings.manage",
  status: 204,
  response: noContent,
});
