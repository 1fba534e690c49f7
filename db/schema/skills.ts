// A project's published skills: the skills of one environment a project chooses to serve at a URL that needs no
// key (docs/security.md, "Published skills"), so the URL a team commits (skills-lock.json) holds no secret. No row:
// nothing is published (the default). Written by lib/skills/publication.ts, read by the public skills route.
import { pgTable, text } from "drizzle-orm/pg-core";
import { ownedBy, refOrNull, writtenAt } from "./columns";
import { projects } from "./projects";
import { environments } from "./releases";
import { users } from "./users";

export const skillPublications = pgTable("skill_publications", {
  projectId: ownedBy(() => projects.id).primaryKey(),
  environmentId: ownedBy(() => environments.id),
  // The skills published, by prompt name: only these, and only at the version the environment serves.
  skills: text().array().notNull(),
  updatedBy: refOrNull(() => users.id),
  updatedAt: writtenAt(),
});
