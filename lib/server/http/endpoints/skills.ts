// Agent skills for agents (docs/skills.md): under a skills key's URL, the Agent Skills Discovery index of the
// environment the key serves and the artifacts it points at. The key is the URL's token: no header, so that
// `npx skills add <skillsUrl>` works as it is.
import "server-only";
import { endpoint } from "../endpoint";
import { skillsFileParams } from "../path-params";

export const skillsUrlFile = endpoint({
  method: "GET",
  path: "/api/v1/skills/{token}/{path}",
  params: skillsFileParams,
  summary:
    "A skills key's URL: .well-known/agent-skills/index.json (the Agent Skills Discovery index, schema 0.2.0, of the skills its environment serves), and what it points at: <name>.tar.gz, <name>.zip, <name>/SKILL.md",
  scope: "skills",
  response: {
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
  },
});
