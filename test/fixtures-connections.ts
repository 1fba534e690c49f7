// Another project's model connection, for tests that check a connection is reachable only from its own
// project: a fresh project (slug `slug`) with an OpenAI connection named "Their key".
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import { createConnection } from "../lib/llm/connections";
import { seedProject } from "./domain-fixtures";
import { projectContext } from "../lib/context";
import { noEvents } from "../lib/announcements";

export async function theirConnection(db: Db, slug: string) {
  const other = await seedProject(db, slug);
  return createConnection(
    projectContext(db, other.admin, other.projectId, noEvents),
    { name: "Their key", provider: "openai", apiKey: "sk-theirs-0001" },
    randomBytes(32),
  );
}
