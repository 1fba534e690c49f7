// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate with.
// The endpoints are declared by area in endpoints/ (endpoint.ts says how).
import "server-only";
import { z } from "zod";
import { isLangfusePath } from "@/lib/errors";
import { isOtherResponse, type Endpoint } from "./endpoint";
import { declaredEndpoints } from "./endpoints";
import { apiTags, tagsOf } from "./openapi-tags";

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

// The Langfuse-compatible routes answer errors as Langfuse does (lib/errors.ts, langfuseErrorBody).
const langfuseErrorSchema = {
  type: "object",
  properties: {
    message: { type: "string" },
    error: {
      oneOf: [
        { type: "string", description: "Langfuse's error name, e.g. LangfuseNotFoundError" },
        {
          type: "array",
          items: { type: "object" },
          description: 'the zod issues, when message is "Invalid request data"',
        },
      ],
    },
    code: { type: "string" },
    details: { type: "object" },
  },
  required: ["message", "error", "code"],
};

function queryParameters(q: z.ZodType) {
  const js = z.toJSONSchema(q, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

const jsonSchema = (s: z.ZodType | object, io: "input" | "output") =>
  s instanceof z.ZodType ? z.toJSONSchema(s, { io, unrepresentable: "any" }) : s;

function responseContent(r: Endpoint["response"]) {
  if (isOtherResponse(r))
    return { description: r.description, content: { [r.contentType]: { schema: r.schema ?? {} } } };
  return { description: "Success", content: { "application/json": { schema: jsonSchema(r, "output") } } };
}

/** The path's parameters, from the declaration's `params` schema (each description lifted onto its parameter). */
function pathParameters(e: Endpoint) {
  const shape = (e.params?.shape ?? {}) as Record<string, z.ZodType>;
  return [...e.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
    const {
      description,
      $schema: _,
      ...schema
    } = shape[name!]
      ? (jsonSchema(shape[name!]!, "input") as { description?: string; $schema?: string })
      : { type: "string" };
    return { name, in: "path", required: true, schema, ...(description ? { description } : {}) };
  });
}

/** The operation of one declared endpoint; `name` is its export name, the operationId. */
function operation(name: string, e: Endpoint) {
  // A declared document schema wins (withContent, a parser's schema); else the body's own zod schema.
  const bodySchema = e.bodySchema ?? (typeof e.body === "function" ? undefined : e.body);
  return {
    operationId: name,
    tags: tagsOf(e),
    summary: e.summary,
    // A skills URL carries its key in the path ({token}) and takes no header.
    security: e.scope === "skills" ? [] : isLangfusePath(e.path) ? [{ basic: [] }] : [{ bearer: [] }],
    "x-lectern-scope": e.scope,
    ...(e.action ? { "x-lectern-action": e.action } : {}),
    parameters: [...pathParameters(e), ...(e.query ? queryParameters(e.query) : [])],
    ...(bodySchema || e.bodyTypes
      ? {
          requestBody: {
            required: true,
            content: {
              ...(bodySchema ? { "application/json": { schema: jsonSchema(bodySchema, "input") } } : {}),
              ...e.bodyTypes,
            },
          },
        }
      : {}),
    responses: {
      [String(e.status ?? 200)]: responseContent(e.response),
      default: {
        description: "Error (400, 401, 403, 404, 405, 409, 413, 422, 429)",
        content: { "application/json": { schema: isLangfusePath(e.path) ? langfuseErrorSchema : errorSchema } },
      },
    },
  };
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { name, endpoint: e } of declaredEndpoints) {
    paths[e.path] ??= {};
    paths[e.path]![e.method.toLowerCase()] = operation(name, e);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Lectern API",
      version: "1.0.0",
      description:
        "Prompt registry, release workflow and runtime resolve API. Runtime keys may call runtime endpoints; admin keys may call everything; a skills key opens only its skills URL.",
    },
    tags: apiTags.map(({ name, description }) => ({ name, description })),
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A Lectern API key" },
        basic: { type: "http", scheme: "basic", description: "Langfuse-compatible: project public id : API key" },
      },
    },
    paths,
  };
}
