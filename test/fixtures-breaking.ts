// A prompt whose newest version breaks its callers, live before that change on staging and production: shared by
// the tests of what a release changes (lib/release/plan/breaking, lib/views/release-preview).
import type { Fixture } from "./domain-fixtures";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { promoteVersion } from "../lib/release/promote";

/**
 * `name`: v1 "Hi {{name}}", then the versions `between`, then one that adds {{order_id}}, required and without a
 * default (the breaking change, "variable.added:order_id"); v1 is live on staging and production.
 */
export async function promptBreakingCallers(f: Fixture, name: string, between: unknown[] = []) {
  await createPrompt(f.ctx(f.editor), { name, type: "text", template: "Hi {{name}}", variables: [{ name: "name" }] });
  for (const version of between) await createVersion(f.ctx(f.editor), name, version);
  await createVersion(f.ctx(f.editor), name, {
    template: "Hi {{name}}, about order {{order_id}}",
    variables: [{ name: "name" }, { name: "order_id" }],
  });
  for (const environment of ["staging", "production"])
    await promoteVersion(f.ctx(f.approver), name, { environment, version: 1 });
}
