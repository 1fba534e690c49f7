import { describe, expect, it } from "vitest";
import { formatMessages, messageFormats } from "../registry/message-formats";
import { answerRenderCached, type ResolveRuntime } from "./answer";
import type { ResolvedPrompt } from "./load";
import { renderResolved, resolvedDto } from "./resolve";
import { resolvedPrompt } from "../../test/resolved-prompt";

const text = resolvedPrompt();
const chat: ResolvedPrompt = {
  ...text,
  type: "chat",
  template: [
    { role: "system", content: "You help {{name}}." },
    { role: "user", content: 'Say "hi"' },
  ],
  etag: '"y"',
} as ResolvedPrompt;

const runtime = (r: ResolvedPrompt) =>
  ({ prompts: { peek: () => r }, exposures: { record() {} } }) as unknown as ResolveRuntime;

type Case = [string, ResolvedPrompt, string | undefined, (typeof messageFormats)[number] | undefined];
const cases: Case[] = [
  ["text", text, undefined, undefined],
  ["text, a subject and an undeclared variable", text, 'we"ird\\subject', undefined],
  ...messageFormats.map((f): Case => ["chat as " + f, chat, "u-1", f]),
];

describe("answerRenderCached", () => {
  it.each(cases)("writes JSON.stringify of the answer's object byte for byte (%s), twice", (_, r, subject, format) => {
    const b = { name: r.name, environment: "production", subject, format, variables: { name: "Ana", extra: 1 } };
    for (let i = 0; i < 2; i++) {
      const answer = answerRenderCached(runtime(r), "project", b as never)!;
      const at = new Date(JSON.parse(answer.body as string).resolvedAt);
      const { rendered, warnings } = renderResolved(r, b.variables);
      const expected = {
        ...resolvedDto(r, subject, at),
        rendered,
        ...(format && { formatted: formatMessages(rendered, format) }),
        warnings,
      };
      expect(answer.status).toBe(200);
      expect(answer.body).toBe(JSON.stringify(expected));
      expect(answer.headers).toMatchObject({ etag: r.etag, "x-lectern-cache": "l1" });
    }
  });
});
