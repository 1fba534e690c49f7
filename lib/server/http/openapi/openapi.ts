// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate with.
// The endpoints are declared by area in endpoints/ (../endpoint.ts says how). docs/api/openapi.json is this document,
// committed (`npm run openapi:report` writes it; openapi-report.test.ts fails when it is stale).
import "server-only";
import { compatErrorBodies, isLangfusePath, lecternErrorShape } from "@/lib/errors";
import { isOtherResponse, type Endpoint } from "../endpoint";
import { declaredEndpoints } from "../endpoints";
import { apiTags, tagsOf } from "./openapi-tags";
import { errorResponses } from "./openapi-errors";
import { SchemaComponents } from "./openapi-schemas";

/** Where a generated client sends requests unless told otherwise: a Lectern on this machine at the default port. */
export const defaultServerUrl = "http://localhost:3000";

const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);

/** A parameter from its JSON Schema, the schema's description lifted onto the parameter (where readers look). */
function parameter(name: string, where: "path" | "query", required: boolean, schema: Record<string, unknown>) {
  const { description, ...rest } = schema as { description?: string };
  return { name, in: where, required, ...(description ? { description } : {}), schema: rest };
}

/** The path's parameters, from the declaration's `params` schema, and the query's, from its `query` schema. */
function parameters(e: Endpoint, hint: string, schemas: SchemaComponents) {
  const path = e.params ? schemas.add(e.params, "input", `${hint}Path`) : {};
  const query = e.query ? schemas.add(e.query, "input", `${hint}Query`) : {};
  for (const [part, s] of [
    ["params", path],
    ["query", query],
  ] as const)
    if (s.$ref) throw new Error(`openapi: ${hint}'s ${part} schema must be an object, not a recursive schema`);
  const props = (s: Record<string, unknown>) => (s.properties ?? {}) as Record<string, Record<string, unknown>>;
  const required = (s: Record<string, unknown>) => (s.required ?? []) as string[];
  return [
    ...[...e.path.matchAll(/\{(\w+)\}/g)].map(([, n]) =>
      parameter(n!, "path", true, props(path)[n!] ?? { type: "string" }),
    ),
    ...Object.entries(props(query)).map(([n, s]) => parameter(n, "query", required(query).includes(n), s)),
  ];
}

function successResponse(e: Endpoint, hint: string, schemas: SchemaComponents) {
  const r = e.response;
  if (isOtherResponse(r)) {
    if (!r.contentType) return { description: r.description };
    const schema = r.schema ? schemas.add(r.schema, "output", `${hint}Response`) : {};
    return { description: r.description, content: { [r.contentType]: { schema } } };
  }
  return {
    description: "Success",
    content: { "application/json": { schema: schemas.add(r, "output", `${hint}Response`) } },
  };
}

function requestBody(e: Endpoint, hint: string, schemas: SchemaComponents) {
  // A declared document schema wins (withContent, a parser's schema); else the body's own zod schema.
  const body = e.bodySchema ?? (typeof e.body === "function" ? undefined : e.body);
  if (!body && !e.bodyTypes) return {};
  const other = Object.entries(e.bodyTypes ?? {}).map(([type, media]) => [
    type,
    schemas.add(media, "input", `${hint}Request${pascal(type.replace(/^application\//, ""))}`),
  ]);
  return {
    requestBody: {
      required: true,
      content: {
        ...(body ? { "application/json": { schema: schemas.add(body, "input", `${hint}Request`) } } : {}),
        ...Object.fromEntries(other),
      },
    },
  };
}

/** The ways a key may be sent: a Bearer key; Langfuse's basic auth on its routes; a compatible client's header. */
function security(e: Endpoint) {
  // A skills URL carries its key in the path ({token}) and takes no header.
  if (e.scope === "skills") return [];
  return [{ [isLangfusePath(e.path) ? "basic" : "bearer"]: [] }, ...(e.keyHeader ? [{ [e.keyHeader]: [] }] : [])];
}

/** The operation of one declared endpoint; `name` is its export name, the operationId. */
function operation(name: string, e: Endpoint, schemas: SchemaComponents) {
  const hint = pascal(name);
  return {
    operationId: name,
    tags: tagsOf(e),
    summary: e.summary,
    security: security(e),
    "x-lectern-scope": e.scope,
    ...(e.permission ? { "x-lectern-permission": e.permission } : {}),
    parameters: parameters(e, hint, schemas),
    ...requestBody(e, hint, schemas),
    responses: { [String(e.status ?? 200)]: successResponse(e, hint, schemas), ...errorResponses(e) },
  };
}

function securitySchemes(endpoints: readonly Endpoint[]) {
  const headers = [...new Set(endpoints.flatMap((e) => (e.keyHeader ? [e.keyHeader] : [])))].sort();
  return {
    bearer: { type: "http", scheme: "bearer", description: "A Lectern API key" },
    basic: { type: "http", scheme: "basic", description: "Langfuse-compatible: project public id : API key" },
    ...Object.fromEntries(
      headers.map((h) => [
        h,
        { type: "apiKey", in: "header", name: h, description: `A Lectern API key, as a compatible client sends it` },
      ]),
    ),
  };
}

const serverDescription = (url: string) =>
  url === defaultServerUrl
    ? "A Lectern on this machine at the default port: give your client your Lectern's URL instead"
    : "This Lectern";

/**
 * The document. `serverUrl`: where this Lectern is served (its NEXTAUTH_URL); the committed report names the
 * default, which a generated client takes as its base URL until given another.
 */
export function openApiDocument(serverUrl: string = defaultServerUrl) {
  const schemas = new SchemaComponents();
  const paths: Record<string, Record<string, unknown>> = {};
  // In path order, each path's methods in this order: the same document whatever order a module system lists
  // the declarations in (an ES module namespace sorts its names; a CommonJS one keeps their order).
  const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
  const declared = [...declaredEndpoints].sort(
    (a, b) =>
      a.endpoint.path.localeCompare(b.endpoint.path, "en") ||
      methods.indexOf(a.endpoint.method) - methods.indexOf(b.endpoint.method),
  );
  for (const { name, endpoint: e } of declared) {
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = operation(name, e, schemas);
  }
  const errorShapes = [lecternErrorShape, ...compatErrorBodies.map((c) => c.shape)];
  return {
    openapi: "3.1.0",
    info: {
      title: "Lectern API",
      version: "1.0.0",
      description:
        "Prompt registry, release workflow and runtime resolve API. Runtime keys may call runtime endpoints; admin keys may call everything; a skills key opens only its skills URL.",
    },
    servers: [{ url: serverUrl.replace(/\/+$/, ""), description: serverDescription(serverUrl) }],
    tags: apiTags.map(({ name, description }) => ({ name, description })),
    paths: schemas.resolve(paths as never) as typeof paths,
    components: {
      schemas: { ...Object.fromEntries(errorShapes.map((s) => [s.name, s.schema])), ...schemas.components() },
      securitySchemes: securitySchemes(declaredEndpoints.map((d) => d.endpoint)),
    },
  };
}
