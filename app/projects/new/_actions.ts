"use server";

import { createProject, createProjectInput } from "@/lib/auth/projects";
import { userAction } from "@/lib/server/actions/action";

export const createProjectAction = userAction(createProjectInput, async (c, input) => {
  const project = await createProject(c.db, input, c.actor);
  return { slug: project.slug };
});
