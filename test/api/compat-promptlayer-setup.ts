// Shared setup of the PromptLayer-compatibility api tests: keys for the project the server was started with,
// PromptLayer's own npm client pointed at Lectern (the two lines a team changes), and prompts made through
// Lectern's own API.
import { randomBytes } from "node:crypto";
import { PromptLayer } from "promptlayer";
import { baseUrl, created } from "./client";

export const plBaseUrl = `${baseUrl}/api/compat/promptlayer`;

/** A name with a unique suffix: the tests share one project. */
export const uniqueName = (name: string) => `${name}-${randomBytes(3).toString("hex")}`;

export async function apiKey(body: Record<string, unknown>): Promise<string> {
  const r = await created("/api/v1/api-keys", { name: uniqueName("pl"), ...body });
  return r.key as string;
}

/** PromptLayer's client, unchanged but for its base URL and key. */
export const client = (key: string, opts: { cacheTtlSeconds?: number } = {}) =>
  new PromptLayer({ apiKey: key, baseURL: plBaseUrl, ...opts });

/** A chat prompt made through Lectern's API: version 1 live in production, version 2 in staging. */
export async function chatPrompt(name: string) {
  const config = { provider: "openai", model: "gpt-4o", temperature: 0.2, maxTokens: 100 };
  await created("/api/v1/prompts", {
    name,
    type: "chat",
    template: [
      { role: "system", content: "You are a {{tone}} support agent. Braces stay: {json}." },
      { role: "user", content: "Question: {{question}}" },
    ],
    variables: [{ name: "tone" }, { name: "question" }],
    config,
  });
  await created(`/api/v1/prompts/${encodeURIComponent(name)}/versions`, {
    template: [
      { role: "system", content: "You are a {{tone}} agent, version two." },
      { role: "user", content: "Q: {{question}}" },
    ],
    commitMessage: "shorter",
  });
  await deploy(name, "production", 1);
  await deploy(name, "staging", 2);
}

export async function deploy(name: string, environment: string, version: number) {
  await created(`/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment, version });
}

/** The text blocks of a PromptLayer chat template's messages. */
export const texts = (template: unknown) =>
  (template as { messages: { content: { text: string }[] }[] }).messages.map((m) =>
    m.content.map((c) => c.text).join(""),
  );
