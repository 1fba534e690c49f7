// A local HTTP server answering as PromptLayer's REST API answers (its published OpenAPI document: ListPromptTemplates,
// GetPromptTemplateRawResponse, GetPromptTemplateLabelResponse, ErrorResponse), over a workspace of templates with
// several versions each: what `lectern import promptlayer` reads in tests. Pages of at most two templates (the
// importer must follow has_next), X-API-KEY checked, a deleted version answering 404.
import { KeyedJsonServer } from "./keyed-json-server";

type Block = Record<string, unknown>;
type Message = { role: string; content?: Block[]; template_format?: string; name?: string; tool_calls?: unknown[] };
export type PlVersion = {
  prompt_template:
    | { type: "chat"; messages: Message[]; tools?: unknown[] }
    | { type: "completion"; content: Block[]; template_format?: string };
  metadata?: { model?: { provider: string; name: string; parameters: Record<string, unknown> } };
  commit_message?: string;
  created_at?: string;
};
export type PlTemplate = {
  id: number;
  prompt_name: string;
  full_folder_path?: string;
  tags: string[];
  /** By version number; a missing number is a version deleted in PromptLayer. */
  versions: Record<number, PlVersion>;
  labels: Record<string, number>;
};

const text = (t: string) => ({ type: "text", text: t });
const at = (day: number) => `2026-03-0${day}T09:00:00Z`;

/** The workspace: folders, f-string and jinja2, labels, a filter jinja2 Lectern refuses, an image, a deleted version. */
export const workspace = (): PlTemplate[] => [
  {
    id: 101,
    prompt_name: "reply",
    full_folder_path: "support",
    tags: ["support"],
    versions: {
      1: {
        prompt_template: {
          type: "chat",
          messages: [
            { role: "system", content: [text("You are {company}'s agent.")] },
            { role: "user", content: [text("{question}")] },
          ],
        },
        metadata: { model: { provider: "openai", name: "gpt-4o", parameters: { temperature: 0.2, max_tokens: 300 } } },
        commit_message: "First",
        created_at: at(1),
      },
      2: {
        prompt_template: {
          type: "chat",
          messages: [
            { role: "system", content: [text("You are {company}'s friendly agent. {{Braces}} stay.")] },
            { role: "placeholder", name: "history" },
            { role: "user", template_format: "jinja2", content: [text("{% if vip %}VIP: {% endif %}{{ question }}")] },
          ],
        },
        metadata: { model: { provider: "openai", name: "gpt-4o", parameters: { temperature: 0.3 } } },
        commit_message: "Friendlier, with history",
        created_at: at(2),
      },
      4: {
        prompt_template: {
          type: "chat",
          messages: [{ role: "user", template_format: "jinja2", content: [text("Answer {{ question }}")] }],
        },
        commit_message: "After a deleted one",
        created_at: at(4),
      },
    },
    labels: { production: 2, staging: 4, guarded: 4 },
  },
  {
    id: 102,
    prompt_name: "summarize",
    tags: [],
    versions: {
      1: { prompt_template: { type: "completion", content: [text("Summarize: {text}")] }, created_at: at(1) },
      2: {
        prompt_template: {
          type: "completion",
          template_format: "jinja2",
          content: [text("Summarize {{ text | upper }}")],
        },
        commit_message: "Shout",
        created_at: at(2),
      },
      3: { prompt_template: { type: "completion", content: [text("Summarize briefly: {text}")] }, created_at: at(3) },
    },
    labels: { production: 3 },
  },
  {
    id: 103,
    prompt_name: "describe-image",
    tags: [],
    versions: {
      1: {
        prompt_template: {
          type: "chat",
          messages: [
            {
              role: "user",
              content: [text("Describe:"), { type: "image_url", image_url: { url: "https://x/y.png" } }],
            },
          ],
        },
      },
      2: { prompt_template: { type: "chat", messages: [{ role: "user", content: [text("Describe {what}")] }] } },
    },
    labels: {},
  },
];

/** What the raw GET answers for one version. */
function rawVersion(t: PlTemplate, n: number) {
  const v = t.versions[n]!;
  return {
    success: true,
    id: t.id,
    prompt_name: t.prompt_name,
    version: n,
    workspace_id: 1,
    tags: t.tags,
    snippets: [],
    llm_kwargs: null,
    ...v,
  };
}

export class PromptLayerServer extends KeyedJsonServer {
  constructor(readonly templates: PlTemplate[] = workspace()) {
    super("pl_test_key", { success: false, message: "Invalid API key" });
  }

  protected answer(path: string, query: URLSearchParams): [number, unknown] {
    const newest = (t: PlTemplate) => Math.max(...Object.keys(t.versions).map(Number));
    if (path === "/prompt-templates") {
      const page = Number(query.get("page") ?? 1);
      const perPage = Math.min(Number(query.get("per_page") ?? 30), 2);
      const pages = Math.ceil(this.templates.length / perPage);
      const items = this.templates.slice((page - 1) * perPage, page * perPage).map((t) => ({
        ...rawVersion(t, newest(t)),
        external_ids: [],
        is_snippet: false,
        full_folder_path: t.full_folder_path ?? null,
      }));
      const has = {
        has_next: page < pages,
        has_prev: page > 1,
        next_num: page < pages ? page + 1 : null,
        prev_num: page > 1 ? page - 1 : null,
      };
      return [200, { ...has, items, page, pages, per_page: perPage, total: this.templates.length }];
    }
    const m = /^\/prompt-templates\/(\d+)(\/labels)?$/.exec(path);
    const t = m && this.templates.find((x) => x.id === Number(m[1]));
    if (!t) return [404, { success: false, message: "Prompt template not found" }];
    if (m![2]) {
      const release_labels = Object.entries(t.labels).map(([release_label, n], i) => ({
        release_label,
        prompt_version_number: n,
        prompt_version_id: t.id * 100 + n,
        release_label_id: i + 1,
      }));
      return [200, { release_labels }];
    }
    const n = Number(query.get("version") ?? newest(t));
    return t.versions[n] ? [200, rawVersion(t, n)] : [404, { success: false, message: `Version ${n} not found` }];
  }
}
