import { AppError } from "@/lib/errors";
import { artifactAt, discoveryIndex } from "@/lib/skills/discovery";
import { servedSkillHeads, servedSkills } from "@/lib/skills/served";
import { skillSummaries } from "@/lib/skills/summary";
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/skills";
import { skillsAnswer, skillsRoute } from "@/lib/server/http/skills-route";

export const dynamic = "force-dynamic";

const wellKnown = ".well-known/agent-skills/";

export const GET = skillsRoute(endpoints.skillsUrlFile, async ({ db, principal, environment, params }) => {
  if (!params.path.startsWith(wellKnown))
    throw new AppError("not_found", `A skills URL serves ${wellKnown}index.json and what it lists.`);
  const rest = params.path.slice(wellKnown.length);
  if (rest === "index.json")
    return skillsAnswer(
      JSON.stringify(
        discoveryIndex(await skillSummaries(db, await servedSkillHeads(db, principal.projectId, environment))),
      ),
      "application/json",
    );
  const found = await artifactAt(
    rest,
    async (folder) => (await servedSkills(db, principal.projectId, environment, { folder }))[0],
  );
  return skillsAnswer(Buffer.from(found.bytes), found.contentType);
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
