// The shape of a prompt version's content, as stored in the versions table (JSONB). Every message
// names the offending field because these errors are shown verbatim to editors and API callers.
import { z } from "zod";
import { AppError } from "../errors";
import {
  imageUrlProblem,
  maxPartsPerMessage,
  maxStoredImageBytes,
  type ImageUrlPart,
  type ImageVariablePart,
} from "./content-parts";
import { executableModes, orderedFiles, skillFileModes, type SkillModes } from "./skills/skill-files";
import { variableSchema } from "./templates/variable-decl";

export {
  contentTypes,
  variableTypes,
  messageRoles,
  isMessageRole,
  maxTemplateChars,
  maxMessages,
  valueMatchesType,
  describeValueType,
  templateTexts,
  placeholderNames,
  isPlaceholder,
  entryText,
  type VariableType,
  type MessageRole,
  type KnownMessageRole,
  type TemplatePiece,
} from "./content-model";
import { isMessageRole, maxTemplateChars, maxMessages, placeholderNames } from "./content-model";

export { variableSchema };

const textPartSchema = z.object({
  type: z.literal("text"),
  text: z
    .string({ error: "a text part's text must be a string" })
    .max(maxTemplateChars, `a text part must be at most ${maxTemplateChars} characters`),
});

const imagePartSchema = z
  .object({
    type: z.literal("image"),
    url: z.string({ error: "an image part's url must be a string" }).optional(),
    variable: z.string({ error: "an image part's variable must be a string" }).optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.url === undefined) === (p.variable === undefined)) {
      ctx.addIssue({ code: "custom", message: "an image part must have either a url or a variable" });
      return;
    }
    const problem = p.url !== undefined ? imageUrlProblem(p.url, maxStoredImageBytes) : null;
    if (problem) ctx.addIssue({ code: "custom", path: ["url"], message: `image url: ${problem}` });
  })
  .transform((p): ImageUrlPart | ImageVariablePart =>
    p.variable !== undefined ? { type: "image", variable: p.variable } : { type: "image", url: p.url! },
  );

const partSchema = z.discriminatedUnion("type", [textPartSchema, imagePartSchema], {
  error: 'each part must be {type: "text", text} or {type: "image", url | variable}',
});

const messageShape = {
  role: z.string({ error: "message role must be a string" }).refine(isMessageRole, {
    error:
      'message role must be 1–64 characters without control characters, and not "placeholder" (a placeholder is {type: "placeholder", name})',
  }),
  content: z.union(
    [
      z.string().max(maxTemplateChars, `message content must be at most ${maxTemplateChars} characters`),
      z.array(partSchema),
    ],
    {
      error:
        'message content must be a string or a list of parts: {type: "text", text} or {type: "image", url | variable}',
    },
  ),
};

// Counted here rather than on the array: a union reports only its own error when every branch fails.
const countParts = (m: { content: string | unknown[] }, ctx: z.RefinementCtx) => {
  if (!Array.isArray(m.content)) return;
  if (m.content.length === 0)
    ctx.addIssue({ code: "custom", path: ["content"], message: "message content must have at least one part" });
  if (m.content.length > maxPartsPerMessage)
    ctx.addIssue({
      code: "custom",
      path: ["content"],
      message: `message content must have at most ${maxPartsPerMessage} parts`,
    });
};

export const messageSchema = z.object(messageShape).superRefine(countParts);

/**
 * A chat prompt's slot for a list of messages supplied when rendering (a conversation history, few-shot
 * examples): Langfuse's message placeholder. Its name is its own, never a variable's.
 */
export const placeholderSchema = z.object({
  type: z.literal("placeholder"),
  name: z
    .string({ error: "placeholder name must be a string" })
    .regex(
      /^[A-Za-z][A-Za-z0-9_]{0,63}$/,
      "placeholder name must start with a letter and contain only letters, digits and '_' (at most 64 characters)",
    ),
});

// Langfuse clients may send messages tagged `type: "chatmessage"`; the tag is dropped, as Langfuse does.
const chatEntrySchema = z.discriminatedUnion(
  "type",
  [
    placeholderSchema,
    z
      .object({ ...messageShape, type: z.literal("chatmessage").optional() })
      .superRefine(countParts)
      .transform(({ role, content }) => ({ role, content })),
  ],
  { error: 'each message must be {role, content} or a placeholder {type: "placeholder", name}' },
);

// Loose on purpose: provider-specific keys (seed, reasoning_effort, …) must survive a round trip.
export const configSchema = z.looseObject({
  provider: z.string({ error: "config.provider must be a string" }).optional(),
  model: z.string({ error: "config.model must be a string" }).optional(),
  temperature: z
    .number({ error: "config.temperature must be a number" })
    .min(0, "config.temperature must be between 0 and 2")
    .max(2, "config.temperature must be between 0 and 2")
    .optional(),
  maxTokens: z
    .number({ error: "config.maxTokens must be a number" })
    .int("config.maxTokens must be a whole number")
    .positive("config.maxTokens must be greater than 0")
    .optional(),
  topP: z
    .number({ error: "config.topP must be a number" })
    .min(0, "config.topP must be between 0 and 1")
    .max(1, "config.topP must be between 0 and 1")
    .optional(),
  stop: z.array(z.string(), { error: "config.stop must be a list of strings" }).optional(),
  tools: z.array(z.unknown(), { error: "config.tools must be a list" }).optional(),
  responseFormat: z.unknown().optional(),
});

export const exampleSchema = z.object({
  input: z.record(z.string(), z.unknown(), { error: "example input must be an object" }),
  output: z.string({ error: "example output must be a string" }),
});

const sharedFields = {
  variables: z.array(variableSchema, { error: "variables must be a list" }).default([]),
  config: configSchema.default({}),
  examples: z.array(exampleSchema, { error: "examples must be a list" }).default([]),
};

const textContentSchema = z.object({
  type: z.literal("text"),
  template: z
    .string({ error: "template must be a string for text prompts" })
    .max(maxTemplateChars, `template must be at most ${maxTemplateChars} characters`),
  ...sharedFields,
});

const chatContentSchema = z.object({
  type: z.literal("chat"),
  template: z
    .array(chatEntrySchema, { error: "template must be a list of messages for chat prompts" })
    .min(1, "template must have at least one message for chat prompts")
    .max(maxMessages, `template must have at most ${maxMessages} messages for chat prompts`),
  ...sharedFields,
});

// A skill's files by relative path (skills/skill-files.ts holds the rules a version must meet, checked with the
// prompt's name when it is saved), and their modes: "0755" for a file installed executable, "0644" (the
// default) for any other; only the executable ones are kept, so a skill without any has no `modes` and reads
// as it did before files had modes. Its files are served as written, never rendered: it has no variables.
const skillContentSchema = z
  .object({
    type: z.literal("skill"),
    files: z
      .record(z.string(), z.string({ error: "each file of a skill must be text" }), {
        error: "files must be an object of relative path: text for skills",
      })
      .refine((files) => Object.keys(files).length > 0, "files must hold at least SKILL.md for skills")
      .transform(orderedFiles),
    modes: z
      .record(z.string(), z.enum(skillFileModes, { error: 'each mode must be "0644" or "0755"' }), {
        error: 'modes must be an object of relative path: "0644" | "0755" for skills',
      })
      .optional(),
    variables: z
      .array(variableSchema, { error: "variables must be a list" })
      .max(0, "a skill has no variables: its files are served as written")
      .default([]),
    config: configSchema.default({}),
    examples: z.array(exampleSchema, { error: "examples must be a list" }).default([]),
  })
  .superRefine((c, ctx) => {
    for (const path of Object.keys(c.modes ?? {}))
      if (!Object.hasOwn(c.files, path))
        ctx.addIssue({
          code: "custom",
          path: ["modes", path],
          message: `modes names ${JSON.stringify(path)}, which is not a file of the skill`,
        });
  })
  .transform(({ modes, ...c }): typeof c & { modes?: SkillModes } => {
    const executable = executableModes(c.files, modes);
    return executable ? { ...c, modes: executable } : c;
  });

export const contentSchema = z
  .discriminatedUnion("type", [textContentSchema, chatContentSchema, skillContentSchema], {
    error: 'type must be "text", "chat" or "skill"',
  })
  .superRefine((content, ctx) => {
    const seen = new Set<string>();
    for (const v of content.variables) {
      if (seen.has(v.name)) {
        ctx.addIssue({ code: "custom", path: ["variables"], message: `variable ${v.name} is declared more than once` });
      }
      seen.add(v.name);
    }
    if (content.type !== "chat") return;
    // A value for `history` must be unambiguous: a list of messages for the placeholder, or a variable's value.
    const clash = [...new Set(placeholderNames(content))].filter((n) => seen.has(n));
    if (clash.length)
      ctx.addIssue({
        code: "custom",
        path: ["template"],
        message: `variables and placeholders must be unique; both use: ${clash.join(", ")}`,
      });
  });

export type Variable = z.output<typeof variableSchema>;
export type Message = z.output<typeof messageSchema>;
export type Placeholder = z.output<typeof placeholderSchema>;
/** One entry of a chat prompt's template: a message, or a placeholder for messages given at render time. */
export type ChatEntry = Message | Placeholder;
export type ModelConfig = z.output<typeof configSchema>;
export type Example = z.output<typeof exampleSchema>;
export type Content = z.output<typeof contentSchema>;
export type ContentInput = z.input<typeof contentSchema>;
export type TextContent = Extract<Content, { type: "text" }>;
export type ChatContent = Extract<Content, { type: "chat" }>;
export type SkillContent = Extract<Content, { type: "skill" }>;
/** A prompt's content: text or chat, the kinds that are templates rendered for a model. */
export type TemplateContent = TextContent | ChatContent;

/** Parses untrusted content (API body, JSONB row), throwing invalid_input that lists every problem. */
export function parseContent(input: unknown): Content {
  const result = contentSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  throw new AppError("invalid_input", issues.map((i) => i.message).join("; "), {
    field: issues[0]?.path || "content",
    issues,
  });
}
