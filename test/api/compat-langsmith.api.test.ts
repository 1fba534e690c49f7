// LangSmith's own npm client (`langsmith`'s Client) and `langchain/hub` against a running Lectern, unchanged but
// for their API URL and key (the two lines a team changes): pull by tag (an environment) and by commit (its first
// 8 digits), the manifest made into a prompt by LangChain's own load() formatting exactly as Lectern renders,
// listPrompts, listCommits, promptExists, push (a new prompt, then a version; a tag into an environment that
// needs a review refused through the release plan), folders written `--`, and LangSmith's error shape.
import { randomBytes } from "node:crypto";
import { load } from "@langchain/core/load";
import { ChatPromptTemplate, type BaseMessagePromptTemplateLike } from "@langchain/core/prompts";
import { pull, push } from "langchain/hub";
import { Client } from "langsmith";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, created } from "./client";

const lsUrl = `${baseUrl}/api/compat/langsmith`;
const unique = (name: string) => `${name}-${randomBytes(3).toString("hex")}`;

/** LangSmith's client, unchanged but for its API URL and key (LANGSMITH_ENDPOINT, LANGSMITH_API_KEY). */
const client = (apiKey: string) => new Client({ apiUrl: lsUrl, apiKey, disablePromptCache: true });

async function apiKey(scope: "runtime" | "admin"): Promise<string> {
  const r = await created("/api/v1/api-keys", { name: unique("ls"), scope });
  return r.key as string;
}

async function deploy(name: string, environment: string, version: number) {
  await created(`/api/v1/prompts/${encodeURIComponent(name)}/deployments`, { environment, version });
}

/** What Lectern renders for an environment, as role and text. */
async function lecternRenders(name: string, environment: string, variables: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts/resolve", { body: { name, environment, variables } });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.rendered as { role: string; content: string }[];
}

const roles: Record<string, string> = { system: "system", human: "user", ai: "assistant" };
async function langchainRenders(prompt: ChatPromptTemplate, variables: Record<string, unknown>) {
  return (await prompt.formatMessages(variables)).map((m) => ({ role: roles[m.getType()]!, content: m.content }));
}

let runtimeKey = "";
let adminKey = "";
let tenant = "";
const prefix = unique("ls");
const chat = `${prefix}-chat`;
const folder = `${prefix}-team/support/reply`;
const values = {
  company: "Acme",
  question: "Where is my order?",
  vip: true,
  history: [{ role: "user", content: "Hi" }],
};

beforeAll(async () => {
  runtimeKey = await apiKey("runtime");
  adminKey = await apiKey("admin");
  await created("/api/v1/prompts", {
    name: chat,
    type: "chat",
    template: [
      { role: "system", content: 'You are {{company}}\'s agent. JSON stays: {"a": 1}.' },
      { type: "placeholder", name: "history" },
      { role: "user", content: "{{question}}" },
    ],
    variables: [{ name: "company" }, { name: "question" }],
  });
  await created(`/api/v1/prompts/${encodeURIComponent(chat)}/versions`, {
    template: [
      { role: "system", content: "{{#vip}}A VIP. {{/vip}}You are {{company}}'s agent." },
      { type: "placeholder", name: "history" },
      { role: "user", content: "Q: {{question}}" },
    ],
    variables: [{ name: "company" }, { name: "question" }, { name: "vip", type: "boolean" }],
    commitMessage: "VIPs",
  });
  await deploy(chat, "production", 1);
  await deploy(chat, "staging", 2);
  await created("/api/v1/prompts", {
    name: folder,
    type: "text",
    template: "Reply to {{customer}}.",
    variables: [{ name: "customer" }],
  });
  await deploy(folder, "production", 1);
  const settings = await fetch(`${lsUrl}/settings`, { headers: { "x-api-key": runtimeKey } });
  tenant = ((await settings.json()) as { tenant_handle: string }).tenant_handle;
});

describe("pulling", () => {
  it("pulls a tag (an environment) and a commit, which LangChain's load() formats as Lectern renders", async () => {
    const ls = client(runtimeKey);
    const production = await ls.pullPromptCommit(`${chat}:production`);
    expect(production.manifest.id).toEqual(["langchain_core", "prompts", "chat", "ChatPromptTemplate"]);
    const prompt = await load<ChatPromptTemplate>(JSON.stringify(production.manifest));
    expect(await langchainRenders(prompt, values)).toEqual(await lecternRenders(chat, "production", values));

    const staging = await ls.pullPromptCommit(`${chat}:staging`);
    expect(staging.commit_hash).not.toBe(production.commit_hash);
    expect(staging.manifest.kwargs.template_format).toBe("mustache");
    const byCommit = await ls.pullPromptCommit(`${chat}:${staging.commit_hash.slice(0, 8)}`);
    expect(byCommit.commit_hash).toBe(staging.commit_hash);
    const latest = await ls.pullPromptCommit(`-/${chat}`);
    expect(latest.commit_hash).toBe(staging.commit_hash);
    const owned = await ls.pullPromptCommit(`${tenant}/${chat}:production`, { dangerouslyPullPublicPrompt: true });
    expect(owned.commit_hash).toBe(production.commit_hash);
  });

  it("langchain/hub's pull answers a prompt formatting as Lectern renders", async () => {
    const prompt = (await pull<ChatPromptTemplate>(`${chat}:staging`, {
      client: client(runtimeKey),
    })) as ChatPromptTemplate;
    expect(await langchainRenders(prompt, values)).toEqual(await lecternRenders(chat, "staging", values));
    expect(prompt.metadata).toMatchObject({ lc_hub_repo: chat });
  });

  it("reads a folder's prompt as owner '-' and repo a--b", async () => {
    const repo = folder.replaceAll("/", "--");
    const pulled = await client(runtimeKey).pullPromptCommit(`${repo}:production`);
    expect(pulled.manifest.kwargs).toMatchObject({ template: "Reply to {customer}.", template_format: "f-string" });
  });

  it("answers LangSmith's error shape, and a limited key pulls by its environment only", async () => {
    const missing = await fetch(`${lsUrl}/commits/-/${prefix}-nothing/latest`, {
      headers: { "x-api-key": runtimeKey },
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ detail: expect.stringContaining("not found"), code: "not_found" });
    const limited = await created("/api/v1/api-keys", {
      name: unique("ls-prod"),
      scope: "runtime",
      environments: ["production"],
    });
    const ls = client(limited.key as string);
    await expect(ls.pullPromptCommit(chat)).rejects.toThrow(/403/);
    expect((await ls.pullPromptCommit(`${chat}:production`)).manifest).toBeTruthy();
  });
});

describe("listing", () => {
  it("lists prompts, commits newest first, and says whether a prompt exists", async () => {
    const ls = client(runtimeKey);
    const found = [];
    for await (const p of ls.listPrompts({ query: prefix })) found.push(p.repo_handle);
    expect(found.sort()).toEqual([chat, folder.replaceAll("/", "--")].sort());
    const commits = [];
    for await (const c of ls.listCommits(chat)) commits.push(c);
    expect(commits).toHaveLength(2);
    expect(commits[0]!.commit_hash).toBe((await ls.pullPromptCommit(`${chat}:staging`)).commit_hash);
    expect(await ls.promptExists(chat)).toBe(true);
    expect(await ls.promptExists(`${prefix}-never`)).toBe(false);
    expect(await ls.getPrompt(chat)).toMatchObject({ repo_handle: chat, num_commits: 2, owner: tenant });
  });
});

describe("pushing", () => {
  const template = (question: string) =>
    ChatPromptTemplate.fromMessages([
      ["system", "You are {company}'s agent."],
      ["human", question] as BaseMessagePromptTemplateLike,
    ]);
  const pushed = `${prefix}-pushed`;

  it("hub.push creates the prompt, then a version; pulled back it formats the same", async () => {
    await push(pushed, template("{question}"), { client: client(adminKey) });
    const first = await call("GET", `/api/v1/prompts/${encodeURIComponent(pushed)}`);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    await client(adminKey).pushPrompt(pushed, { object: template("Q: {question}"), commitDescription: "Shorter" });
    const ls = client(runtimeKey);
    const commits = [];
    for await (const c of ls.listCommits(pushed)) commits.push(c);
    expect(commits.map((c) => c.description)).toEqual(["Shorter", "Initial version"]);
    const back = await load<ChatPromptTemplate>(JSON.stringify((await ls.pullPromptCommit(pushed)).manifest));
    expect(await langchainRenders(back, { company: "Acme", question: "Why?" })).toEqual([
      { role: "system", content: "You are Acme's agent." },
      { role: "user", content: "Q: Why?" },
    ]);
  });

  it("moves a tag into an environment only through the release plan: a review it needs refuses it", async () => {
    const env = unique("ls-guarded").toLowerCase();
    await created("/api/v1/environments", { name: env, requiresReview: true });
    await expect(
      client(adminKey).pushPrompt(pushed, { object: template("Guarded: {question}"), commitTags: [env] }),
    ).rejects.toThrow(/review/i);
    const live = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(pushed)}&environment=${env}`);
    expect(live.status).toBe(404);
    await client(adminKey).pushPrompt(pushed, { object: template("Staged: {question}"), commitTags: ["staging"] });
    const staged = await client(runtimeKey).pullPromptCommit(`${pushed}:staging`);
    expect(JSON.stringify(staged.manifest)).toContain("Staged: {question}");
  });

  it("refuses a runtime key's push, in LangSmith's shape", async () => {
    await expect(client(runtimeKey).pushPrompt(`${prefix}-nope`, { object: template("{question}") })).rejects.toThrow(
      /403/,
    );
  });
});
