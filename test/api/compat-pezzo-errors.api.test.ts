// What Pezzo's client (@pezzo/client, unchanged) is told when Lectern refuses: Pezzo's NestJS error body, whose
// message getPrompt throws; keys and projects that may not read; templates Pezzo's {name} cannot carry exactly;
// the response cache, which is not offered (the call still goes through, and the client logs why).
import { PezzoOpenAI } from "@pezzo/client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLlmServer, type LlmServer } from "../llm-server";
import { call } from "./client";
import { folder, pezzoClient, project, prompt, runtimeKey, serverUrl } from "./compat-pezzo-setup";

const live = `${folder}/live`;
const sections = `${folder}/sections`;
const braces = `${folder}/braces`;
let key = "";
let stagingKey = "";
let slug = "";
let llm: LlmServer;

beforeAll(async () => {
  key = await runtimeKey();
  stagingKey = await runtimeKey(["staging"]);
  slug = (await project()).slug;
  llm = await startLlmServer({ script: { default: { text: "ok" } } });
  const v = (template: string, names: string[]) => ({
    type: "text",
    template,
    variables: names.map((name) => ({ name })),
    config: { model: "gpt-4o-mini" },
  });
  await prompt(live, [v("Hello {{name}}.", ["name"]), v("Staged {{name}}.", ["name"])], { production: 1, staging: 2 });
  await prompt(sections, [v("Hi{{#vip}}, VIP{{/vip}}.", ["vip"])]);
  await prompt(braces, [v("Write {name} literally for {{who}}.", ["who"])]);
});

afterAll(() => llm?.stop());

const getPrompt = (name: string, apiKey = key, projectId = slug, environment = "Production") =>
  pezzoClient(apiKey, projectId, environment).getPrompt(name);

describe("refusals Pezzo's client reads", () => {
  it("answers Pezzo's NestJS body, whose message getPrompt throws", async () => {
    const res = await fetch(`${serverUrl}/api/prompts/v2/deployment?name=${folder}/none&environmentName=Production`, {
      headers: { "x-pezzo-api-key": key, "x-pezzo-project-id": slug },
    });
    expect([res.status, await res.json()]).toEqual([
      404,
      {
        statusCode: 404,
        message: `No prompt named ${folder}/none in this project.`,
        error: "Not Found",
        code: "not_found",
        details: expect.anything(),
      },
    ]);
    await expect(getPrompt(`${folder}/none`)).rejects.toThrow(`No prompt named ${folder}/none in this project.`);
    await expect(getPrompt(live, key, slug, "nowhere")).rejects.toThrow("No environment named nowhere.");
  });

  it("refuses a key it does not know, and a project that is not the key's", async () => {
    await expect(getPrompt(live, "lk_not_a_key")).rejects.toThrow("Invalid API key.");
    for (const other of ["someone-elses-project", "6f1c7d8e-1111-4222-8333-944455556666", "undefined"])
      await expect(getPrompt(live, key, other)).rejects.toThrow(/x-pezzo-project-id must name this API key's project/);
  });

  it("keeps a key limited to some environments to those", async () => {
    await expect(getPrompt(live, stagingKey, slug, "production")).rejects.toThrow(/may only read staging/);
    expect((await getPrompt(live, stagingKey, slug, "staging")).pezzo.content).toEqual({ prompt: "Staged {name}." });
  });

  it("refuses a template Pezzo's {name} cannot carry, naming the construct", async () => {
    await expect(getPrompt(sections)).rejects.toThrow(/^Pezzo: template: .*(section|#vip)/);
    await expect(getPrompt(braces)).rejects.toThrow(
      "the text {name} would be read by Pezzo's client as the variable name, and Pezzo has no way to write it as text",
    );
    const res = await fetch(`${serverUrl}/api/prompts/v2/deployment?name=${braces}&environmentName=production`, {
      headers: { "x-pezzo-api-key": key },
    });
    expect(await res.json()).toMatchObject({ statusCode: 422, error: "Unprocessable Entity", code: "unprocessable" });
  });
});

describe("reports and the response cache", () => {
  it("records nothing for another environment than a limited key's, and the client logs why", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const staged = await getPrompt(live, stagingKey, slug, "staging");
    const client = new PezzoOpenAI(pezzoClient(stagingKey, slug, "production"), { apiKey: "x", baseURL: llm.baseUrl });
    await client.chat.completions.create({ pezzo: staged.pezzo }, { variables: { name: "Ana" } });
    expect(warn).toHaveBeenCalledWith(
      "Could not report prompt execution",
      expect.objectContaining({
        statusCode: 403,
        message: expect.stringContaining("may only send events for staging"),
      }),
    );
    warn.mockRestore();
  });

  it("always misses the cache, so the call goes to the model, and the client logs that nothing is cached", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { pezzo } = await getPrompt(live);
    const client = new PezzoOpenAI(pezzoClient(key, slug), { apiKey: "x", baseURL: llm.baseUrl });
    llm.reset();
    const answer = await client.chat.completions.create({ pezzo }, { variables: { name: "Ana" }, cache: true });
    expect(answer.choices[0]!.message.content).toBe("ok");
    expect(llm.requests).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      "Could not cache request",
      expect.objectContaining({
        statusCode: 404,
        message: expect.stringContaining("does not offer Pezzo's response cache"),
      }),
    );
    warn.mockRestore();
    const stats = await call("GET", `/api/v1/prompts/${encodeURIComponent(live)}/stats?environment=production`);
    expect(stats.body.versions[0]).toMatchObject({ version: 1, generations: 1 });
  });
});
