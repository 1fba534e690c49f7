// What every endpoint list of the OpenAPI document (../openapi.ts) is made of.
import "server-only";
import { z } from "zod";
import { contentSchema } from "@/lib/registry/content";

export type Endpoint = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  scope: "runtime" | "admin";
  query?: z.ZodType;
  body?: z.ZodType | object;
  bodyTypes?: Record<string, object>;
  status?: number;
};

export const schema = (s: z.ZodType | object) =>
  s instanceof z.ZodType ? z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) : s;
export const withContent = (meta: z.ZodType) => ({ allOf: [schema(meta), schema(contentSchema)] });
