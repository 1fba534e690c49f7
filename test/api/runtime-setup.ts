// Shared by the runtime api tests: a runtime key, a prompt live in an environment, and resolve.
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { call } from "./client";

export const uniq = () => randomBytes(4).toString("hex");

export async function newRuntimeKey(): Promise<string> {
  const k = await call("POST", "/api/v1/api-keys", { body: { name: "runtime tests", scope: "runtime" } });
  return k.body.key;
}

/** A new text prompt (name, optional vip section), its version 1 live in `environment`. */
export async function livePrompt(extra: Record<string, unknown> = {}, environment = "production") {
  const name = `rt-${uniq()}`;
  const created = await call("POST", "/api/v1/prompts", {
    body: {
      name,
      type: "text",
      template: "Hello {{name}}{{#vip}}, welcome back{{/vip}}!",
      variables: [{ name: "name" }, { name: "vip", type: "boolean", required: false, default: false }],
      ...extra,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(
    (
      await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, {
        body: { environment, version: 1 },
      })
    ).status,
  ).toBe(201);
  return name;
}

export const resolveAs = (key: string, q: string, headers: Record<string, string> = {}) =>
  call("GET", `/api/v1/prompts/resolve?${q}`, { key, headers });
