import { describe, expect, it } from "vitest";
import { pezzoForeignPrompts, pezzoRows, type PezzoRows } from "./import-rows";

const version = (sha: string, createdAt: string, content: unknown, type: "Prompt" | "Chat" = "Prompt") => ({
  sha,
  promptId: "p1",
  type,
  service: "OpenAIChatCompletion",
  settings: { model: "gpt-4o-mini", max_tokens: 256, temperature: 0.7 },
  content,
  message: `made ${sha}`,
  createdById: "u1",
  createdAt,
});

const rows = (over: Partial<PezzoRows> = {}): PezzoRows =>
  pezzoRows.parse({
    environments: [
      { id: "e1", name: "Production" },
      { id: "e2", name: "Staging" },
    ],
    users: [{ id: "u1", email: "ana@acme.test" }],
    prompts: [{ id: "p1", name: "support/reply" }],
    versions: [
      // Rows arrive in any order: the import orders them by Pezzo's createdAt, then sha.
      version("c", "2024-03-01T00:00:00.000Z", { prompt: "Third {name}" }),
      version("a", "2024-01-01T00:00:00.000Z", { prompt: "Hello { name }, {{x}} }" }),
      version("b", "2024-02-01T00:00:00.000Z", { messages: [{ role: "user", content: "Hi" }] }, "Chat"),
    ],
    promptEnvironments: [
      { promptId: "p1", environmentId: "e1", promptVersionSha: "a", createdAt: "2024-01-02T00:00:00.000Z" },
      { promptId: "p1", environmentId: "e1", promptVersionSha: "b", createdAt: "2024-02-02T00:00:00.000Z" },
      { promptId: "p1", environmentId: "e2", promptVersionSha: "c", createdAt: "2024-03-02T00:00:00.000Z" },
      { promptId: "p1", environmentId: "gone", promptVersionSha: "c", createdAt: "2024-03-03T00:00:00.000Z" },
    ],
    ...over,
  });

describe("Pezzo's rows as ForeignPrompts", () => {
  it("keeps every version in Pezzo's order, its author and settings, and where each environment is now", () => {
    const { prompts, refused } = pezzoForeignPrompts(rows());
    expect(refused).toEqual([]);
    expect(prompts).toEqual([
      {
        name: "support/reply",
        versions: [
          expect.objectContaining({
            sourceId: "a",
            format: "f-string",
            content: { type: "text", template: "Hello {name}, {{{x}}} }}" },
            model: { provider: "openai", name: "gpt-4o-mini", parameters: { max_tokens: 256, temperature: 0.7 } },
            message: "made a",
            author: "ana@acme.test",
            createdAt: "2024-01-01T00:00:00.000Z",
            labels: [],
          }),
          expect.objectContaining({
            sourceId: "b",
            content: { type: "chat", messages: [{ role: "user", content: "Hi" }] },
            labels: ["production"],
          }),
          expect.objectContaining({ sourceId: "c", labels: ["staging"] }),
        ],
      },
    ]);
  });

  it("refuses a version whose content is not Pezzo's shape and keeps the others", () => {
    const { prompts, refused } = pezzoForeignPrompts(
      rows({ versions: [version("a", "2024-01-01", { text: "x" }), version("b", "2024-01-02", { prompt: "ok" })] }),
    );
    expect(refused).toEqual([
      { prompt: "support/reply", sourceId: "a", reason: expect.stringContaining("not a Pezzo Prompt prompt's") },
    ]);
    expect(prompts[0]!.versions.map((v) => v.sourceId)).toEqual(["b"]);
  });

  it("refuses rows beyond its bounds before mapping them", () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `p${i}`, name: `n${i}` }));
    expect(pezzoRows.safeParse({ ...rows(), prompts: many }).success).toBe(false);
  });
});
