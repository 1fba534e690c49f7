// Who calls a Pezzo-compatible route, and the two things every one of them checks first: that the project
// header names the key's own project, and what a Pezzo environment's name is in Lectern.
import { AppError } from "../../errors";
import { environmentNameSchema } from "../../release/environments";

/** Who asks, as the route read it: the key's project and environments, and the x-pezzo-project-id header. */
export interface PezzoCaller {
  project: { id: string; slug: string };
  /** Environments a limited runtime key may read (null: all). */
  environments: string[] | null;
  /** x-pezzo-project-id as sent (Pezzo's client sends "undefined" when its projectId is not set). */
  projectHeader: string | null;
}

/**
 * The project header names the key's own project (its id or slug). A missing one means the key's project,
 * as Pezzo's server reads prompts without it; naming another project is refused whatever that project is.
 */
export function assertPezzoProject(caller: PezzoCaller): void {
  const header = caller.projectHeader?.trim();
  if (!header || header === caller.project.id || header === caller.project.slug) return;
  throw new AppError(
    "forbidden",
    `x-pezzo-project-id must name this API key's project (its id or its slug ${caller.project.slug}); it names ${JSON.stringify(header.slice(0, 100))}. Set projectId (PEZZO_PROJECT_ID) to it.`,
    { field: "x-pezzo-project-id" },
  );
}

/**
 * A Pezzo environment's name as Lectern's: Lectern names environments in lowercase, Pezzo's first one is
 * "Production", so the name is lowercased and then must be a Lectern environment name.
 */
export function pezzoEnvironment(name: string | undefined, field = "environmentName"): string {
  if (name === undefined || name === "" || name === "undefined")
    throw new AppError(
      "invalid_input",
      `${field} is missing: set environment (PEZZO_ENVIRONMENT) on Pezzo's client to a Lectern environment, e.g. production`,
      { field },
    );
  const lower = name.toLowerCase();
  const parsed = environmentNameSchema.safeParse(lower);
  if (!parsed.success)
    throw new AppError(
      "invalid_input",
      `${field} ${JSON.stringify(name.slice(0, 100))} names no Lectern environment: environments are 1–36 letters, digits, '-' or '_' (read in lowercase)`,
      { field },
    );
  return parsed.data;
}
