// Batch resolve: one request answers many prompts of one environment, each answered or refused on its
// own (`GET /api/v1/prompts/resolve?names=a,b,c&environment=`, `POST` with `{names: [...]}`; without
// names, POST answers every prompt the environment serves). Each prompt's answer is the single resolve
// answer (the same cache, experiments, exposures and key limits), plus its ETag.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import { promptNameProblem } from "../registry/names";
import { answerResolve, resolveAnswerResponse, type ResolveRuntime } from "./answer";
import { assertKeyMayRead } from "./key-limits";
import { renderedResolveResponse, resolveBody, resolveQuery } from "./resolve";

/** At most this many names in one request (and prompts answered when the names are left out). */
export const MAX_BATCH_NAMES = 100;

/**
 * At most this many bytes of prompts in one batch answer: a prompt that would take the answer past it is listed
 * in `errors` (payload_too_large) instead, to be resolved alone. 100 prompts each including 1 MB of partials
 * made a 30-byte request answer 100 MB.
 */
export const MAX_BATCH_ANSWER_BYTES = 8 * 2 ** 20;

const namesList = z
  .array(z.string({ error: "names must be a list of prompt names" }), { error: "names must be a list of prompt names" })
  .min(1, { error: "names must name at least one prompt" })
  .max(MAX_BATCH_NAMES, { error: `names may list at most ${MAX_BATCH_NAMES} prompts; split the request` });

// The same environment and subject rules as a single resolve.
const common = {
  environment: resolveQuery.shape.environment,
  subject: resolveQuery.shape.subject,
  include: z
    .enum(["experiment"], { error: 'include must be "experiment"' })
    .optional()
    .describe("experiment: also every variant of a running experiment, for SDKs that assign subjects themselves"),
};

/** `POST` body: `names`, or `all: true` for every prompt the environment serves (at most MAX_BATCH_NAMES). */
export const batchResolveBody = z
  .strictObject({
    names: namesList.optional(),
    all: z.literal(true, { error: "all must be true" }).optional(),
    ...common,
  })
  .refine((b) => (b.names === undefined) !== (b.all === undefined), {
    error: "give either names (a list of prompt names) or all: true, not both",
  });

/** Whether a POST resolve body asks for a batch rather than one prompt. */
export const isBatchBody = (b: unknown) => typeof b === "object" && b !== null && ("names" in b || "all" in b);

/** `GET` query: `names` is a comma-separated list (a name holding a comma is fetched with POST). */
export const batchResolveQuery = z.strictObject({
  names: z
    .string({ error: "names must be a comma-separated list of prompt names" })
    .transform((s) => s.split(",").map((n) => n.trim()))
    .pipe(namesList),
  ...common,
});

export type BatchError = { name: string; error: { code: string; message: string } };

/** A batch's answer (resolveBatchParts): each prompt as resolve answers it with its ETag; the others in `errors`. */
export const batchResolveResponse = z.object({
  prompts: z.array(resolveAnswerResponse.extend({ etag: z.string().nullable() })),
  errors: z.array(z.object({ name: z.string(), error: z.object({ code: z.string(), message: z.string() }) })),
  /** Without names, more prompts than one answer holds: the first MAX_BATCH_NAMES by name. */
  truncated: z.literal(true).optional(),
});

/** GET /api/v1/prompts/resolve's query string as documented: one prompt (`name`) or a batch (`names`). */
export const resolveOrBatchQuery = resolveQuery.partial({ name: true }).extend({
  names: z.string().optional().describe(`A batch instead of name: up to ${MAX_BATCH_NAMES} comma-separated names`),
  include: common.include,
});
/** GET /api/v1/prompts/resolve: one prompt, or a batch with `names=`. */
export const resolveGetResponse = z.union([resolveAnswerResponse, batchResolveResponse]);
/** POST /api/v1/prompts/resolve's body: one prompt to render, or a batch (`names` or `all`). */
export const resolveOrBatchBody = z.union([resolveBody, batchResolveBody]);
/** POST /api/v1/prompts/resolve: one rendered prompt, or a batch. */
export const resolvePostResponse = z.union([renderedResolveResponse, batchResolveResponse]);

/** Whether a resolve query string asks for a batch (`names=`) rather than one prompt. */
export const isBatchQuery = (search: string) => /(?:^|&)names=/.test(search);

/**
 * Names of the project's prompts (not deleted) deployed in the environment: a batch without names. Skills are
 * left out: applications prefetch what they render; agents read skills (named, they are answered like any).
 */
async function servedNames(db: Db, projectId: string, environment: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select p.name from prompts p where p.project_id = ${projectId} and p.archived_at is null and p.skill_name is null
        and exists (select 1 from deployments d join environments e on e.id = d.environment_id
                    where d.prompt_id = p.id and e.name = ${environment})
        order by p.name limit ${MAX_BATCH_NAMES + 1}`,
  );
  return rows.map((r) => r.name);
}

/** Prompts answered at once (their reads from the cache or the database overlap); each is written as its own part. */
export const BATCH_WINDOW = 8;

/**
 * The batch answer's JSON text in parts: `{prompts: [...], errors: [{name, error: {code, message}}]}`, names in
 * the order asked (duplicates answered once). A key limited to other environments is refused as a whole
 * (403, thrown before any part); a name the key may not read, a bad name or an unknown prompt is an entry in
 * `errors`. Without names, prompts the environment does not serve are left out rather than listed as errors.
 * Prompts are answered BATCH_WINDOW at a time, each window when the previous parts have been taken, and each
 * prompt is one part: a reader that stops reading holds one window in memory, not the answer. Each prompt is
 * answered after `turn()` (the process's WorkLane: its own turn of the event loop, behind the requests that
 * arrived meanwhile), so a batch is made in slices the hot path never waits behind. The first part holds the
 * first prompt, so a failure there can still be answered as an error.
 */
export async function resolveBatchParts(
  rt: ResolveRuntime,
  db: Db,
  principal: { projectId: string; environments: string[] | null; name: string },
  q: { names?: string[]; environment: string; subject?: string; include?: "experiment" },
  turn: () => Promise<void> = () => Promise.resolve(),
): Promise<AsyncGenerator<string, void, undefined>> {
  assertEnvironmentAllowed(principal, q.environment);
  const implicit = q.names === undefined;
  const names = [...new Set(q.names ?? (await servedNames(db, principal.projectId, q.environment)))];
  const answer = async (name: string): Promise<{ name: string; json: string; size: number } | BatchError | null> => {
    await turn();
    const problem = promptNameProblem(name);
    if (problem) return { name, error: { code: "invalid_input", message: problem } };
    try {
      const one = { name, environment: q.environment, subject: q.subject, include: q.include };
      await assertKeyMayRead(db, principal.projectId, principal.environments, one);
      const a = await answerResolve(rt, db, principal.projectId, one, null);
      const etag = JSON.stringify(a.headers.etag ?? null);
      const json = `${a.body!.slice(0, -1)},"etag":${etag}}`;
      return { name, json, size: Buffer.byteLength(json) };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      if (implicit && e.code === "not_found") return null;
      return { name, error: { code: e.code, message: e.message } };
    }
  };
  // Without names, more prompts than one answer holds: the first MAX_BATCH_NAMES by name, and a flag.
  const more = implicit && names.length > MAX_BATCH_NAMES;
  async function* parts() {
    const errors: BatchError[] = [];
    let found = 0;
    let bytes = 0;
    let part = `{"prompts":[`;
    for (let i = 0; i < names.length; i += BATCH_WINDOW) {
      for (const a of await Promise.all(names.slice(i, i + BATCH_WINDOW).map(answer))) {
        if (!a) continue;
        if ("error" in a) {
          errors.push(a);
          continue;
        }
        if (more && found === MAX_BATCH_NAMES) continue;
        if (bytes + a.size > MAX_BATCH_ANSWER_BYTES) {
          errors.push({
            name: a.name,
            error: {
              code: "payload_too_large",
              message: `the batch answer would be larger than ${MAX_BATCH_ANSWER_BYTES / 2 ** 20} MiB with this prompt: resolve it on its own, or ask for fewer names`,
            },
          });
          continue;
        }
        bytes += a.size;
        yield part + (found++ ? "," : "") + a.json;
        part = "";
      }
    }
    yield `${part}],"errors":${JSON.stringify(errors)}${more ? ',"truncated":true' : ""}}`;
  }
  return parts();
}
