// GET /api/v1/prompts/resolve?name=&environment=&version=&subject=&at=&include=experiment (ETag, 304) and POST (with variables → rendered). Runtime key.
import { NextResponse } from "next/server";
import { z } from "zod";
import { answerResolve, answerResolveCached, choose, type RuntimeAnswer } from "@/lib/runtime/answer";
import { assertKeyMayRead } from "@/lib/runtime/key-limits";
import { renderResolved, resolveBody, resolvedDto, resolvePrompt, resolveQuery } from "@/lib/runtime/resolve";
import { withApiKey, otherMethods } from "@/lib/server/api";
import { getRuntime, readyRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

const query = resolveQuery.extend({ include: z.enum(["experiment"], { error: 'include must be "experiment"' }).optional() });
const toResponse = (a: RuntimeAnswer) => new Response(a.body, { status: a.status, headers: a.headers });

export const GET = withApiKey("runtime", { query, action: "runtime.resolve" }, async ({ req, db, project, query, environments }) => {
  if (environments) await assertKeyMayRead(db, project.id, environments, query);
  const ready = readyRuntime();
  const inm = req.headers.get("if-none-match");
  // L1 hit: answered without a single await.
  const fast = ready && answerResolveCached(ready, project.id, query, inm);
  if (fast) return toResponse(fast);
  return toResponse(await answerResolve(ready ?? (await getRuntime()), db, project.id, query, inm));
});

export const POST = withApiKey("runtime", { body: resolveBody, action: "runtime.resolve" }, async ({ db, project, body, environments }) => {
  await assertKeyMayRead(db, project.id, environments, body);
  const runtime = await getRuntime();
  const { resolved, layer } = await resolvePrompt({ db, cache: runtime.prompts }, project.id, body);
  const choice = await choose(runtime, resolved, body.subject);
  if (choice.experiment && body.subject) runtime.exposures.record({ experimentId: choice.experiment.id, phase: choice.experiment.phase, variant: choice.experiment.variant, subject: body.subject, at: new Date() });
  const { rendered, warnings } = renderResolved(choice.arm, body.variables);
  const headers: Record<string, string> = { etag: choice.arm.etag, "cache-control": "private, no-cache", "x-lectern-cache": layer };
  if (layer === "stale") Object.assign(headers, { "x-lectern-stale": "true", warning: '110 lectern "Response is stale: the database is unreachable"' });
  return NextResponse.json({ ...resolvedDto(choice.arm, body.subject, new Date(), choice.experiment, choice.subjectDependent), rendered, warnings }, { headers });
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
