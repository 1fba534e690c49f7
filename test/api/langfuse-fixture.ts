// Langfuse's own server tests of its public prompt API, re-expressed as black-box HTTP checks against
// Lectern: web/src/__tests__/server/prompts.v2.servertest.ts and promptCache.servertest.ts in
// github.com/langfuse/langfuse (read at commit 6275144, August 2026). Test names are Langfuse's.
// The translation follows Langfuse's two files test by test, in their order, so the two can be compared; it is
// cut into six files at Langfuse's describe blocks (langfuse-prompts-*.api.test.ts), with what they share here.
//
// How they were translated (docs/langfuse.md lists each difference and why):
// - Langfuse seeds rows straight into its database; here every state is made through the API, so a
//   version made by the API carries Langfuse's automatic `latest` label and `createdBy: "API"`, and
//   states its API cannot make either (one label on three versions at once) become the nearest state
//   it can make.
// - Langfuse gives each test a fresh project; here tests share the server's project and prefix their
//   prompt names, and the list tests run on a fresh server of their own (their totals are exact).
// - Errors have Langfuse's shape on these routes ({"message", "error": "LangfuseNotFoundError"}, with Lectern's
//   code beside them): these check what Langfuse's tests check, and Lectern's code too.
// - Not translated (no such feature): the ingestion test linking a generation to a prompt, webhook
//   executions, and cache tests of Redis internals (caching disabled, null Redis, Redis failing:
//   the Langfuse route reads the database directly; Redis failures are the cluster tier's).
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { adminKey, baseUrl, type Res } from "./client";

export const baseURI = "/api/public/v2/prompts";
export const uniq = () => randomBytes(4).toString("hex");
export const enc = encodeURIComponent;

export interface Target {
  url: string;
  publicId: string;
  key: string;
}
/** The API server's own project, read once at the first call that names no other. */
let main: Promise<Target> | undefined;

export async function targetOf(url: string, key: string): Promise<Target> {
  const res = await fetch(`${url}/api/v1/project`, { headers: { authorization: `Bearer ${key}` } });
  return { url, key, publicId: ((await res.json()) as { publicId: string }).publicId };
}

/** A Langfuse SDK's request: HTTP Basic with the project's public id and a Lectern key. */
export async function lf<T = any>(method: string, path: string, body?: unknown, target?: Target): Promise<Res<T>> {
  const t = target ?? (await (main ??= targetOf(baseUrl, adminKey)));
  const res = await fetch(t.url + path, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${t.publicId}:${t.key}`).toString("base64")}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

export const create = async (body: Record<string, unknown>, t?: Target) => {
  const r = await lf("POST", baseURI, body, t);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
};
export const get = (name: string, query = "", t?: Target) => lf("GET", `${baseURI}/${enc(name)}${query}`, undefined, t);
/** Langfuse's create request for a `type` prompt, with `labels` when given and any further fields. */
export const post = (name: string, prompt: unknown, type: string, labels?: string[], extra: object = {}) =>
  lf("POST", baseURI, { name, prompt, type, ...(labels && { labels }), ...extra });
/** A text version that must be created (201), with `labels` when given and any further fields. */
export const createText = (name: string, prompt: unknown, labels?: string[], extra: object = {}) =>
  create({ name, prompt, type: "text", ...(labels && { labels }), ...extra });
/** Langfuse's dependency tag: a reference to `name` by label (production unless given) or `version=N`. */
export const dep = (name: string, by = "label=production") => `@@@langfusePrompt:name=${name}|${by}@@@`;
export const del = (name: string, query = "") => lf("DELETE", `${baseURI}/${enc(name)}${query}`);

/** Langfuse's testPromptEquality, for a version made through the API. */
export function expectRecord(
  body: any,
  p: { name: string; prompt: unknown; version: number; labels: string[]; config: unknown; type?: string },
) {
  expect(typeof body.id).toBe("string");
  expect(typeof body.projectId).toBe("string");
  expect(body.name).toBe(p.name);
  expect(body.prompt).toEqual(p.prompt);
  expect(body.type).toBe(p.type ?? "text");
  expect(body.version).toBe(p.version);
  expect(body.labels).toEqual(p.labels);
  expect(body.createdBy).toBe("API");
  expect(body.config).toEqual(p.config);
  expect(body.tags).toEqual([]);
  expect(body.resolutionGraph).toBeNull();
  expect(new Date(body.createdAt).toISOString()).toBe(body.createdAt);
  expect(new Date(body.updatedAt).toISOString()).toBe(body.updatedAt);
}

/** A second project on the same server, with an admin key of its own. */
export async function seedSecondProject(): Promise<Target & { close(): Promise<void> }> {
  const { openDatabase } = await import("../../db/client");
  const { createProject } = await import("../../lib/auth/projects");
  const { createApiKey } = await import("../../lib/auth/api-keys");
  const { projectContext } = await import("../../lib/context");
  const { noEvents } = await import("../../lib/announcements");
  const database = await openDatabase({ url: process.env.LECTERN_TEST_DATABASE_URL!, poolSize: 2 });
  const system = { type: "system" as const, label: "langfuse test" };
  const id = uniq();
  const project = await createProject(database.db, { slug: `lf-${id}`, name: `Langfuse ${id}` }, system);
  const { key } = await createApiKey(projectContext(database.db, system, project.id, noEvents), {
    name: "langfuse",
    scope: "admin",
  });
  return { url: baseUrl, key, publicId: project.publicId, close: () => database.close() };
}
