// One verb table (docs/architecture.md): a REST operation's domain function carries the operation's name. The
// operationId is the endpoint's export name in lib/server/http/endpoints/ (a public contract: OpenAPI, generated
// clients); the domain function is the first awaited call of a lib/ import in the handler its route.ts serves. This
// reads every app/api/**/route.ts with the TypeScript parser and fails when the two names differ, unless the
// operation is listed below with the reason its function keeps another name.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const compat = "a compatible API's operation: its function names the foreign system's operation it answers";
const rolloutControl = "actOnRollout serves pause, resume, advance and rollback: one transition table, one function";

/** operationId → why its domain function has another name. */
const EXCEPTIONS: Record<string, string> = {
  addDatasetItems: "addUploadedItems reads the body by content type (JSON, CSV, JSONL) and then adds the items",
  removeDatasetItem: "removeItems removes several items in one version, as the dataset page's bulk removal does",
  getSkillPublication:
    "findSkillPublication answers undefined when nothing is published (a get* throws: naming.test.ts)",
  advanceRollout: rolloutControl,
  pauseRollout: rolloutControl,
  resumeRollout: rolloutControl,
  rollbackRollout: rolloutControl,
  langfuseCreatePrompt: compat,
  langfuseDeletePrompt: compat,
  langfuseGetPrompt: compat,
  langfuseListPrompts: compat,
  langfuseUpdateLabels: compat,
  langSmithCreateCommit: compat,
  langSmithCreateRepo: compat,
  langSmithCreateTag: compat,
  langSmithGetRepo: compat,
  langSmithListCommits: compat,
  langSmithListRepos: compat,
  langSmithListTags: compat,
  langSmithSettings: compat,
  langSmithUpdateRepo: compat,
  pezzoReportExecution: `${compat} (the project's prices are read first)`,
  pezzoRetrieveCachedRequest: compat,
  pezzoSaveCachedRequest: compat,
  promptLayerListTemplates: compat,
  promptLayerLogRequest: compat,
  promptLayerPublishTemplate: compat,
  promptLayerRestTrackGroup: compat,
  promptLayerRestTrackMetadata: compat,
  promptLayerRestTrackPrompt: compat,
  promptLayerRestTrackScore: compat,
  promptLayerTrackGroup: compat,
  promptLayerTrackMetadata: compat,
  promptLayerTrackPrompt: compat,
  promptLayerTrackRequest: compat,
  promptLayerTrackScore: compat,
};

const routes = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "app/api/*route.ts"], {
  encoding: "utf8",
})
  .split("\n")
  .filter((f) => f.endsWith("/route.ts"));

interface Served {
  file: string;
  operation: string;
  fn: string | undefined;
}

/** The names a file imports from the domains under lib/ (lib/server is the wiring between them and the framework). */
function libImports(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = statement.moduleSpecifier.text;
    if (!from.startsWith("@/lib/") || from.startsWith("@/lib/server/")) continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add(e.name.text);
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (statement.importClause?.name) names.add(statement.importClause.name.text);
  }
  return names;
}

/** The called function's name when `call` calls a lib/ import (`f(…)` or `namespace.f(…)`). */
function libCallee(call: ts.CallExpression, imports: Set<string>): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee) && imports.has(callee.text)) return callee.text;
  if (
    ts.isPropertyAccessExpression(callee) &&
    ts.isIdentifier(callee.expression) &&
    imports.has(callee.expression.text)
  )
    return callee.name.text;
  return undefined;
}

/** The first awaited call of a domain import inside `handler`, in the order they run: an await inside another's
 * arguments (`json(await dto(db, await createDataset(…)))`) runs before it. A handler that awaits none (it returns
 * the call's promise) answers its first call of a domain import. */
function firstAwaitedLibCall(handler: ts.Node, imports: Set<string>): string | undefined {
  let found: string | undefined;
  const visit = (awaited: boolean) => (node: ts.Node) => {
    if (found) return;
    ts.forEachChild(node, visit(awaited));
    if (found || !ts.isCallExpression(node)) return;
    if (!awaited || (node.parent && ts.isAwaitExpression(node.parent))) found = libCallee(node, imports);
  };
  visit(true)(handler);
  if (!found) visit(false)(handler);
  return found;
}

/** Each `route(endpoints.X, handler)` in a route file, with the domain function its handler awaits first. */
function servedOperations(text: string, file = "route.ts"): Served[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const imports = libImports(source);
  const served: Served[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "route") {
      const [endpoint, handler] = node.arguments;
      if (endpoint && ts.isPropertyAccessExpression(endpoint) && handler)
        served.push({ file, operation: endpoint.name.text, fn: firstAwaitedLibCall(handler, imports) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return served;
}

const served = routes.flatMap((f) => servedOperations(readFileSync(f, "utf8"), f));

describe("one verb table: an operation's domain function carries its operationId", () => {
  it("finds the operation and the first awaited lib/ call of its handler", () => {
    const text = `import { createRollout } from "@/lib/experiments/rollouts/rollouts";
      import { rolloutDto } from "@/lib/experiments/rollouts/dto";
      import * as jobs from "@/lib/jobs/queue";
      import * as endpoints from "@/lib/server/http/endpoints/rollouts";
      import { getRuntime } from "@/lib/server/wiring/runtime-wiring";
      const local = async () => 1;
      export const POST = route(endpoints.startRollout, async ({ domain }) => {
        await local();
        await getRuntime();
        return json({ rollout: await rolloutDto(await createRollout(domain)) }, 201);
      });
      export const GET = route(endpoints.listJobs, async ({ db }) => json(await jobs.listJobs(db)));
      export const PUT = route(endpoints.saveJob, async ({ db }) => jobs.save(db));`;
    expect(servedOperations(text)).toEqual([
      { file: "route.ts", operation: "startRollout", fn: "createRollout" },
      { file: "route.ts", operation: "listJobs", fn: "listJobs" },
      { file: "route.ts", operation: "saveJob", fn: "save" },
    ]);
  });

  it("reads every REST route", () => {
    expect(served.length).toBeGreaterThan(100);
  });

  it("each operation's domain function has the operation's name, or a listed reason", () => {
    const drifted = served
      .filter((s) => s.fn !== s.operation && !(s.operation in EXCEPTIONS))
      .map((s) => `${s.operation} → ${s.fn ?? "(no awaited lib/ call)"} (${s.file})`);
    expect(drifted, "rename the domain function to the operationId, or list the operation with its reason").toEqual([]);
  });

  it("keeps no stale exception", () => {
    const stale = Object.keys(EXCEPTIONS).filter(
      (op) => !served.some((s) => s.operation === op && s.fn !== s.operation),
    );
    expect(stale, "an exception whose operation now matches, or no longer exists: take it off the list").toEqual([]);
  });
});
