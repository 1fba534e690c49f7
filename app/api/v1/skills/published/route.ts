import { AppError } from "@/lib/errors";
import {
  findSkillPublication,
  publishedSkillsUrl,
  publishSkills,
  skillPublicationDto,
  unpublishSkills,
} from "@/lib/skills/publication";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/skills";
import { publicBaseUrl } from "@/lib/server/wiring/mail";

export const GET = route(endpoints.getSkillPublication, async ({ db, project }) => {
  const p = await findSkillPublication(db, project.id);
  if (!p) throw new AppError("not_found", "This project publishes no skills without a key.");
  return json(skillPublicationDto(p, publishedSkillsUrl(await publicBaseUrl(), project.slug)));
});

export const PUT = route(endpoints.publishSkills, async ({ domain, project, body }) =>
  json(skillPublicationDto(await publishSkills(domain, body), publishedSkillsUrl(await publicBaseUrl(), project.slug))),
);

export const DELETE = route(endpoints.unpublishSkills, async ({ domain }) => {
  await unpublishSkills(domain);
  return new Response(null, { status: 204 });
});

export const { POST, PATCH } = otherMethods("GET", "PUT", "DELETE");
