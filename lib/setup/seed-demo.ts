// Writes the demo prompts (db/seed.ts) through the registry and release functions.
import type { Db } from "../../db/client";
import { demoPrompts } from "../../db/seed";
import type { Actor } from "../auth/permissions";
import { createPrompt } from "../registry/prompts";
import { saveVersion } from "../registry/versions";
import { parseContent } from "../registry/content";
import { deploy } from "../release/deployments";
import { getEnvironment } from "../release/environments";

export async function seedDemoPrompts(db: Db, projectId: string, actor: Actor): Promise<void> {
  const ctx = { db, projectId, actor };
  for (const p of demoPrompts) {
    const [first, ...rest] = p.versions;
    const { prompt } = await createPrompt(ctx, { name: p.name, description: p.description, tags: [...p.tags], ...first });
    let current = prompt;
    for (const v of rest) {
      await saveVersion(ctx, current, parseContent(v), { commitMessage: v.commitMessage, baseVersion: null });
      current = { ...current, latestVersion: current.latestVersion + 1 };
    }
    for (const d of p.deploy) await deploy(ctx, prompt, await getEnvironment(db, projectId, d.environment), d.version, "promote", "Demo setup");
  }
}
