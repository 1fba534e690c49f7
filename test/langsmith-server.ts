// A local HTTP server answering as LangSmith's REST API answers its clients (the paths and shapes of langsmith's
// own Client: ListPromptsResponse, ListCommitsResponse, a commit's manifest, a repo's tags, FastAPI's {detail}),
// over a workspace of repos with several commits each: what `lectern import langsmith` reads in tests. Pages of
// one repo and two commits (the importer must follow `total`), x-api-key checked, the oldest commit listed
// without its manifest (the importer pulls it), manifests in LangSmith's Python namespace ("langchain").
import { KeyedJsonServer } from "./keyed-json-server";

type Manifest = Record<string, unknown>;
export type LsCommit = { hash: string; manifest: Manifest; description?: string; created_at: string; listed?: false };
export type LsRepo = {
  handle: string;
  description?: string;
  tags: string[];
  commits: LsCommit[];
  tagsAt: Record<string, string>;
};

const lc = (id: string[], kwargs: Record<string, unknown>) => ({ lc: 1, type: "constructor", id, kwargs });
const prompt = (template: string, format = "f-string", input_variables: string[] = []) =>
  lc(["langchain", "prompts", "prompt", "PromptTemplate"], { input_variables, template, template_format: format });
const msg = (cls: string, template: string, format = "f-string") =>
  lc(["langchain", "prompts", "chat", cls], { prompt: prompt(template, format) });
const chat = (messages: unknown[], format = "f-string") =>
  lc(["langchain", "prompts", "chat", "ChatPromptTemplate"], {
    input_variables: [],
    messages,
    template_format: format,
  });
const at = (day: number) => `2026-04-0${day}T09:00:00.000Z`;
const hash = (n: number) => `${n}`.repeat(8) + "a".repeat(56);

/** The workspace: a folder, f-string and mustache, a placeholder, a model, tags, and two commits Lectern refuses. */
export const lsWorkspace = (): LsRepo[] => [
  {
    handle: "support--reply",
    description: "Replies to customers",
    tags: ["support"],
    commits: [
      {
        hash: hash(1),
        description: "First",
        created_at: at(1),
        listed: false,
        manifest: lc(["langchain", "schema", "runnable", "RunnableSequence"], {
          first: chat([
            msg("SystemMessagePromptTemplate", "You are {company}'s agent."),
            msg("HumanMessagePromptTemplate", "{question}"),
          ]),
          last: lc(["langchain", "chat_models", "openai", "ChatOpenAI"], {
            model: "gpt-4o",
            temperature: 0.2,
            max_tokens: 300,
            openai_api_key: { lc: 1, type: "secret", id: ["OPENAI_API_KEY"] },
          }),
        }),
      },
      {
        hash: hash(2),
        description: "Friendlier, with history",
        created_at: at(2),
        manifest: chat(
          [
            msg("SystemMessagePromptTemplate", "You are {{company}}'s friendly agent. {Braces} stay.", "mustache"),
            lc(["langchain", "prompts", "chat", "MessagesPlaceholder"], { variable_name: "history" }),
            msg("HumanMessagePromptTemplate", "{{#vip}}VIP: {{/vip}}{{question}}", "mustache"),
          ],
          "mustache",
        ),
      },
      {
        hash: hash(3),
        description: "Shorter",
        created_at: at(3),
        manifest: chat([
          msg("SystemMessagePromptTemplate", "Agent of {company}."),
          msg("HumanMessagePromptTemplate", "Q: {question}"),
        ]),
      },
    ],
    tagsAt: { production: hash(2), staging: hash(3), guarded: hash(3), "v1.0": hash(1) },
  },
  {
    handle: "summarize",
    tags: [],
    commits: [
      { hash: hash(4), created_at: at(4), manifest: prompt("Summarize: {text}", "f-string", ["text"]) },
      {
        hash: hash(5),
        created_at: at(5),
        manifest: lc(["langchain_core", "prompts", "structured", "StructuredPrompt"], { messages: [], schema_: {} }),
      },
      { hash: hash(6), created_at: at(6), manifest: prompt("Summarize: {text:>20}", "f-string", ["text"]) },
    ],
    tagsAt: {},
  },
];

export class LangSmithServer extends KeyedJsonServer {
  constructor(readonly repos: LsRepo[] = lsWorkspace()) {
    super("lsv2_test_key", { detail: "Invalid token" });
  }

  private repoDto = (r: LsRepo) => ({
    repo_handle: r.handle,
    description: r.description ?? null,
    owner: "acme",
    full_name: `acme/${r.handle}`,
    tags: r.tags,
    num_commits: r.commits.length,
    last_commit_hash: r.commits[r.commits.length - 1]!.hash,
    is_public: false,
    is_archived: false,
  });

  protected answer(path: string, query: URLSearchParams): [number, unknown] {
    const offset = Number(query.get("offset") ?? 0);
    if (path === "/repos") {
      const repos = this.repos.slice(offset, offset + 1).map(this.repoDto);
      return [200, { repos, total: this.repos.length }];
    }
    const m = /^\/(repos|commits)\/acme\/([^/]+)(?:\/(tags|[^/]*))?$/.exec(path);
    const repo = m && this.repos.find((r) => r.handle === decodeURIComponent(m[2]!));
    if (!m || !repo) return [404, { detail: "Repo not found" }];
    if (m[1] === "repos" && m[3] === "tags")
      return [
        200,
        Object.entries(repo.tagsAt).map(([tag_name, commit_hash]) => ({ tag_name, commit_hash, id: tag_name })),
      ];
    if (m[1] === "commits" && (m[3] === "" || m[3] === undefined)) {
      const newest = [...repo.commits].reverse();
      const commits = newest.slice(offset, offset + 2).map((c) => ({
        commit_hash: c.hash,
        description: c.description ?? null,
        created_at: c.created_at,
        ...(c.listed === false ? {} : { manifest: c.manifest }),
      }));
      return [200, { commits, total: repo.commits.length }];
    }
    const c = m[1] === "commits" && repo.commits.find((x) => x.hash.startsWith(m[3]!));
    return c
      ? [200, { commit_hash: c.hash, manifest: c.manifest, examples: [] }]
      : [404, { detail: "Commit not found" }];
  }
}
