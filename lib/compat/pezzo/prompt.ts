// A resolved prompt as Pezzo's GET /api/prompts/v2/deployment answers it: {promptId, promptVersionSha, type,
// settings, content}, its text in Pezzo's `{name}` syntax so that PezzoOpenAI's own interpolation sends the
// model what Lectern's resolve renders. Each answer is checked by doing both — Lectern's render and Pezzo's
// interpolation — with the same marker values: a prompt they would fill differently is refused, not served.
// The answer is a pure function of the cached entry, kept beside it (one conversion per entry, not per call).
import { z } from "zod";
import { AppError, isAppError } from "../../errors";
import type { Variable } from "../../registry/content";
import { isPlaceholder } from "../../registry/content-model";
import { inlinePartials } from "../../registry/templates/partials";
import type { ResolvedPrompt } from "../../runtime/load";
import { renderResolved } from "../../runtime/resolve";
import { renderOptionsFor } from "../../runtime/render-as-served";
import { pezzoSettings } from "./settings";
import { interpolatePezzo } from "./syntax";
import { cannotCarry, pezzoRefusal, toPezzoText } from "./pezzo-template";
import { pezzoVersionSha } from "./version-sha";

type PezzoMessage = { role: string; content: string };
type PezzoContent = { prompt: string } | { messages: PezzoMessage[] };

/** What getPrompt reads (@pezzo/client's Pezzo.getPrompt): Pezzo's deployment answer, with the type its client reads too. */
export const pezzoPromptSchema = z.object({
  promptId: z.string(),
  promptVersionSha: z.string(),
  type: z.enum(["Prompt", "Chat"]),
  settings: z.record(z.string(), z.unknown()),
  content: z.union([
    z.object({ prompt: z.string() }),
    z.object({ messages: z.array(z.object({ role: z.string(), content: z.string() })) }),
  ]),
});
export type PezzoPrompt = z.infer<typeof pezzoPromptSchema>;

function pezzoContent(r: ResolvedPrompt): PezzoContent {
  const partials = renderOptionsFor(r).partials ?? {};
  const text = (t: string, field: string) => toPezzoText(inlinePartials(t, partials), field);
  if (r.type === "skill") throw cannotCarry("skill", "a skill's files are not a prompt Pezzo's client runs", "type");
  if (typeof r.template === "string") return { prompt: text(r.template, "template") };
  return {
    messages: r.template.map((m, i) => {
      const field = `template.messages[${i}]`;
      if (isPlaceholder(m))
        throw cannotCarry("placeholder", `the placeholder ${m.name} has no place in Pezzo's messages`, field);
      if (typeof m.content !== "string")
        throw cannotCarry("parts", "a message of parts (images) is not text Pezzo's client fills", field);
      return { role: m.role, content: text(m.content, field) };
    }),
  };
}

// Values no template text contains, one per variable: where each lands tells the two fillings apart.
function markerValues(r: ResolvedPrompt): Record<string, string | number | boolean> {
  const variables: Variable[] = [...r.variables, ...Object.values(r.partials).flatMap((p) => p.variables)];
  const values: Record<string, string | number | boolean> = {};
  variables.forEach((v, i) => {
    if (Object.hasOwn(values, v.name)) return;
    if (v.type === "image")
      throw cannotCarry("image", `the image variable ${v.name}: Pezzo's client fills only text`, "variables");
    values[v.name] = v.type === "number" ? 7_919_000 + i : v.type === "boolean" ? true : `\uE000${i}\uE001`;
  });
  return values;
}

function assertSameRendering(r: ResolvedPrompt, content: PezzoContent): void {
  const values = markerValues(r);
  const { rendered } = renderResolved(r, values);
  const lectern = typeof rendered === "string" ? [rendered] : rendered.map((m) => m.content);
  const pezzo = "prompt" in content ? [content.prompt] : content.messages.map((m) => m.content);
  const differs = lectern.findIndex((l, i) => l !== interpolatePezzo(pezzo[i]!, values));
  if (differs >= 0)
    throw cannotCarry(
      "rendering",
      "Pezzo's client would fill this text differently from Lectern's render (a partial included on an indented line, say)",
      "prompt" in content ? "template" : `template.messages[${differs}]`,
    );
}

function buildPezzoPrompt(r: ResolvedPrompt): PezzoPrompt {
  const content = pezzoContent(r);
  assertSameRendering(r, content);
  return {
    promptId: r.promptId,
    promptVersionSha: pezzoVersionSha(r.promptId, r.version),
    type: r.type === "chat" ? "Chat" : "Prompt",
    settings: pezzoSettings(r.config),
    content,
  };
}

const answers = new WeakMap<ResolvedPrompt, PezzoPrompt | AppError>();

/** The Pezzo answer for a resolved prompt, or the 422 that names what Pezzo's client could not fill exactly. */
export function pezzoPromptOf(r: ResolvedPrompt): PezzoPrompt {
  let answer = answers.get(r);
  if (!answer) {
    try {
      answer = buildPezzoPrompt(r);
    } catch (e) {
      const refusal = pezzoRefusal(e);
      if (!isAppError(refusal)) throw refusal;
      answer = refusal;
    }
    answers.set(r, answer);
  }
  if (isAppError(answer)) throw answer;
  return answer;
}
