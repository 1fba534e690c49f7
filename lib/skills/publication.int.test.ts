// Published skills: off by default; an admin publishes chosen skills of one environment at a URL that needs no
// key, and that URL serves exactly those, at the versions the environment serves, and nothing else of the project
// (the same 404 for a project that publishes nothing and one that does not exist); each change has its audit row.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema";
import { f, t, withReleaseDatabase } from "../../test/release-fixture";
import { code, failure } from "../../test/domain-fixtures";
import { createPrompt } from "../registry/prompts";
import { promoteVersion } from "../release/promote";
import { skillsPathAnswer } from "./skills-answer";
import {
  findSkillPublication,
  publicationBySlug,
  publishedSkillsUrl,
  publishSkills,
  unpublishSkills,
} from "./publication";

const skillMd = (name: string) => `---\nname: ${name}\ndescription: Does ${name}.\n---\nSteps.\n`;
const index = async (scope: Awaited<ReturnType<typeof publicationBySlug>>) =>
  JSON.parse(String((await skillsPathAnswer(t.db, scope!, ".well-known/agent-skills/index.json")).body)) as {
    skills: { name: string }[];
  };

withReleaseDatabase("published");
beforeAll(async () => {
  for (const name of ["open", "secret"]) {
    await createPrompt(f.ctx(f.editor), { name: `kit/${name}`, type: "skill", files: { "SKILL.md": skillMd(name) } });
    await promoteVersion(f.ctx(f.approver), `kit/${name}`, { environment: "staging", version: 1 });
  }
  await createPrompt(f.ctx(f.editor), { name: "plain", type: "text", template: "Hi" });
}, 60_000);

describe("published skills", () => {
  it("are off by default: the URL that needs no key answers 404, as for a project that does not exist", async () => {
    expect(await findSkillPublication(t.db, f.projectId)).toBeUndefined();
    expect(await publicationBySlug(t.db, "published")).toBeUndefined();
    expect(await publicationBySlug(t.db, "no-such-project")).toBeUndefined();
    expect(publishedSkillsUrl("https://lectern.example.com/", "published")).toBe(
      "https://lectern.example.com/api/v1/skills/public/published",
    );
  });

  it("serve only the chosen skills of the chosen environment, as it serves them", async () => {
    const p = await publishSkills(f.ctx(f.admin), { environment: "staging", skills: ["kit/open"] });
    expect([p.environment, p.skills]).toEqual(["staging", ["kit/open"]]);
    const scope = await publicationBySlug(t.db, "published");
    expect((await index(scope)).skills.map((s) => s.name)).toEqual(["open"]);
    const md = await skillsPathAnswer(t.db, scope!, ".well-known/agent-skills/open/SKILL.md");
    expect(new TextDecoder().decode(md.body as Uint8Array)).toBe(skillMd("open"));
    expect(await code(skillsPathAnswer(t.db, scope!, ".well-known/agent-skills/secret/SKILL.md"))).toBe("not_found");
    const audit = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.projectId, f.projectId), eq(auditLog.action, "skills.publish")));
    expect(audit.map((a) => a.after)).toEqual([{ environment: "staging", skills: ["kit/open"] }]);
  });

  it("refuse what is not a skill of the project and an unknown environment (anyone but an admin: the route's)", async () => {
    const e = await failure(publishSkills(f.ctx(f.admin), { environment: "staging", skills: ["kit/open", "plain"] }));
    expect([e.status, e.details?.field]).toEqual([422, "skills.1"]);
    expect(await code(publishSkills(f.ctx(f.admin), { environment: "nope", skills: ["kit/open"] }))).toBe("not_found");
    expect((await failure(publishSkills(f.ctx(f.admin), { environment: "staging", skills: [] }))).status).toBe(400);
    expect((await findSkillPublication(t.db, f.projectId))?.skills).toEqual(["kit/open"]);
  });

  it("stop at once when unpublished", async () => {
    await unpublishSkills(f.ctx(f.admin));
    expect(await publicationBySlug(t.db, "published")).toBeUndefined();
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, "skills.unpublish"));
    expect(rows).toHaveLength(1);
  });
});
