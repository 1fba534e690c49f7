// Shared by the Pezzo-compatible api tests: prompts in one folder of names, keys, and Pezzo's own client
// (@pezzo/client, unchanged) pointed at <lectern>/api/compat/pezzo.
import { randomBytes } from "node:crypto";
import { Pezzo } from "@pezzo/client";
import { expect } from "vitest";
import { baseUrl, call } from "./client";

export const folder = `pezzo-${randomBytes(4).toString("hex")}`;
export const serverUrl = `${baseUrl}/api/compat/pezzo`;

export async function runtimeKey(environments?: string[]): Promise<string> {
  const r = await call("POST", "/api/v1/api-keys", {
    body: { name: `${folder} ${environments?.join(",") ?? "all"}`, scope: "runtime", environments },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.key as string;
}

export async function project(): Promise<{ id: string; slug: string }> {
  return (await call("GET", "/api/v1/project")).body as { id: string; slug: string };
}

/** Creates `name` (version 1) and its later versions, then deploys versions to environments: {production: 1}. */
export async function prompt(
  name: string,
  versions: Record<string, unknown>[],
  deployments: Record<string, number> = { production: 1 },
) {
  const [first, ...rest] = versions;
  const created = await call("POST", "/api/v1/prompts", { body: { name, ...first } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const v of rest) {
    const r = await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, { body: v });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
  for (const [environment, version] of Object.entries(deployments)) {
    const r = await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/deployments`, {
      body: { environment, version },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}

/** Pezzo's client as an application configures it, Lectern's key and project in Pezzo's places. */
export const pezzoClient = (apiKey: string, projectId: string, environment = "Production") =>
  new Pezzo({ serverUrl, apiKey, projectId, environment });

/** What Lectern's own resolve renders for these variables (POST /api/v1/prompts/resolve). */
export async function lecternRenders(name: string, environment: string, variables: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts/resolve", { body: { name, environment, variables } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.rendered as string | { role: string; content: string }[];
}
