// A LangChain manifest as LangSmith's hub stores a commit (what `pushPrompt` sends, what its REST API answers)
// as the importer core's ForeignVersion content: a PromptTemplate is a text prompt, a ChatPromptTemplate a chat
// (system, human, ai and ChatMessage templates by role, MessagesPlaceholder as a placeholder), in its
// template_format (f-string, mustache or jinja2, converted by the core); a RunnableSequence's model gives the
// model settings. What a Lectern version cannot carry — a fixed message, an image template, a structured
// output schema, a prompt whose messages mix formats — throws a 422 naming it, never changed silently.
import { AppError } from "../../errors";
import type { ForeignTemplateFormat } from "../../registry/formats/foreign-templates";
import { isPlainObject } from "../../registry/json";
import type { ForeignMessage, ForeignVersion } from "../import";

type Obj = Record<string, unknown>;
export type ManifestContent = Pick<ForeignVersion, "format" | "content" | "model">;

const refuse = (field: string, construct: string, message: string): never => {
  throw new AppError("unprocessable", `${field}: ${message}`, { field, construct });
};

/** The class a serialized LangChain object names (the last segment of its id), or undefined. */
function classOf(v: unknown): string | undefined {
  if (!isPlainObject(v) || v.lc !== 1 || v.type !== "constructor" || !Array.isArray(v.id)) return undefined;
  const last = v.id[v.id.length - 1];
  return typeof last === "string" ? last : undefined;
}
const kwargsOf = (v: unknown): Obj => (isPlainObject(v) && isPlainObject(v.kwargs) ? v.kwargs : {}) as Obj;

const formats = new Set<string>(["f-string", "mustache", "jinja2"]);

function formatOf(kwargs: Obj, field: string): ForeignTemplateFormat {
  const f = kwargs.template_format ?? "f-string";
  if (typeof f !== "string" || !formats.has(f))
    return refuse(
      `${field}.template_format`,
      "template_format",
      `${String(f)} is not a template format Lectern converts`,
    );
  return f as ForeignTemplateFormat;
}

function promptText(v: unknown, field: string): { template: string; format: ForeignTemplateFormat } {
  const cls = classOf(v);
  if (cls !== "PromptTemplate")
    return refuse(
      field,
      cls ?? "prompt",
      `${cls ? `a ${cls}` : "a list of templates (text and images)"}: Lectern's messages hold one text template`,
    );
  const kwargs = kwargsOf(v);
  if (typeof kwargs.template !== "string") return refuse(`${field}.template`, "template", "the template is not a text");
  return { template: kwargs.template, format: formatOf(kwargs, field) };
}

const roles: Record<string, string> = {
  SystemMessagePromptTemplate: "system",
  HumanMessagePromptTemplate: "user",
  AIMessagePromptTemplate: "assistant",
};

function messageOf(v: unknown, i: number): ForeignMessage & { format?: ForeignTemplateFormat } {
  const field = `manifest.kwargs.messages[${i}]`;
  const cls = classOf(v);
  const kwargs = kwargsOf(v);
  if (cls === "MessagesPlaceholder") {
    if (typeof kwargs.variable_name !== "string")
      return refuse(field, "MessagesPlaceholder", "a placeholder needs a variable_name");
    return { role: "placeholder", name: kwargs.variable_name };
  }
  const role = cls === "ChatMessagePromptTemplate" ? kwargs.role : cls ? roles[cls] : undefined;
  if (typeof role !== "string")
    return refuse(
      field,
      cls ?? "message",
      `${cls ? `a ${cls}` : "not a serialized LangChain message template"}: Lectern keeps message templates (system, human, ai, a ChatMessage's role) and placeholders`,
    );
  const { template, format } = promptText(kwargs.prompt, `${field}.kwargs.prompt`);
  return { role, content: template, format };
}

function chatOf(kwargs: Obj): Pick<ForeignVersion, "format" | "content"> {
  if (!Array.isArray(kwargs.messages)) return refuse("manifest.kwargs.messages", "messages", "no messages");
  const messages = kwargs.messages.map(messageOf);
  const used = new Set(messages.flatMap((m) => (m.format ? [m.format] : [])));
  if (used.size > 1)
    return refuse(
      "manifest.kwargs.messages",
      "template_format",
      `its messages mix ${[...used].join(" and ")}: a Lectern version has one syntax`,
    );
  const format = [...used][0] ?? formatOf(kwargs, "manifest.kwargs");
  return {
    format,
    content: { type: "chat", messages: messages.map(({ format: _f, ...m }) => m as ForeignMessage) },
  };
}

/** LangChain's chat model classes and the provider Lectern names each by. */
const providers: Record<string, string> = {
  ChatOpenAI: "openai",
  AzureChatOpenAI: "azure",
  ChatAnthropic: "anthropic",
  ChatGoogleGenerativeAI: "google",
  ChatVertexAI: "vertex",
  ChatMistralAI: "mistral",
  ChatGroq: "groq",
  ChatBedrockConverse: "bedrock",
  ChatFireworks: "fireworks",
};

const keptParameter = (key: string, value: unknown) =>
  !/api_key|apiKey|secret|token$/i.test(key) &&
  key !== "model" &&
  key !== "model_name" &&
  (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || Array.isArray(value));

function modelOf(v: unknown): ForeignVersion["model"] {
  // A model with bound settings (`model.bind({...})`) is a RunnableBinding around it.
  const cls = classOf(v);
  const bound = cls === "RunnableBinding" ? kwargsOf(v).bound : v;
  const kwargs = kwargsOf(bound);
  const name = kwargs.model ?? kwargs.model_name;
  const parameters = Object.fromEntries(Object.entries(kwargs).filter(([k, x]) => keptParameter(k, x)));
  const provider = providers[classOf(bound) ?? ""];
  return {
    ...(provider ? { provider } : {}),
    ...(typeof name === "string" ? { name } : {}),
    parameters,
  };
}

/** A commit's manifest as a ForeignVersion's content and model; throws a 422 naming what it cannot carry. */
export function manifestContent(manifest: unknown): ManifestContent {
  let prompt = manifest;
  let model: ForeignVersion["model"];
  if (classOf(manifest) === "RunnableSequence") {
    const kwargs = kwargsOf(manifest);
    if (Array.isArray(kwargs.middle) && kwargs.middle.length)
      return refuse("manifest.kwargs.middle", "RunnableSequence", "a sequence of more than a prompt and a model");
    prompt = kwargs.first;
    model = modelOf(kwargs.last);
  }
  const cls = classOf(prompt);
  if (cls === "PromptTemplate") {
    const { template, format } = promptText(prompt, "manifest");
    return { format, content: { type: "text", template }, ...(model ? { model } : {}) };
  }
  if (cls === "ChatPromptTemplate") return { ...chatOf(kwargsOf(prompt)), ...(model ? { model } : {}) };
  return refuse(
    "manifest",
    cls ?? "manifest",
    `${cls ? `a ${cls}` : "not a serialized LangChain prompt"}: Lectern keeps a PromptTemplate or a ChatPromptTemplate${cls === "StructuredPrompt" ? " (a structured output schema goes in the version's responseFormat, through Lectern's API)" : ""}`,
  );
}
