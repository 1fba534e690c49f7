// Images in a chat prompt from the outside: saved through the REST API (bad images refused with the
// reason), served by POST resolve in Lectern's, OpenAI's, Anthropic's and the AI SDK's shapes, and
// rendered the same by the TypeScript SDK and the Python client against the running server.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { beforeAll, describe, expect, it } from "vitest";
import { createClient, toAiSdk, toAnthropic, toOpenAI, type Message } from "../../sdk/src/index";
import { baseUrl, call, errorCode } from "./client";

const exec = promisify(execFile);
const tag = randomBytes(3).toString("hex");
const name = `img/claims-${tag}`;
const enc = encodeURIComponent;
const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
const photo = `data:image/png;base64,${png}`;
const template = [
  { role: "system", content: "You assess insurance claims." },
  {
    role: "user",
    content: [
      { type: "text", text: "Claim from {{customer}}. Policy card and photo:" },
      { type: "image", url: photo },
      { type: "image", variable: "photo" },
    ],
  },
];
const variables = [
  { name: "customer" },
  { name: "photo", type: "image", description: "The damage, as the customer sent it" },
];
let runtimeKey = "";

beforeAll(async () => {
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: `images ${tag}`, scope: "runtime" } })).body.key;
  const created = await call("POST", "/api/v1/prompts", { body: { name, type: "chat", template, variables } });
  expect(created.status).toBe(201);
  const deployed = await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, {
    body: { environment: "production", version: 1 },
  });
  expect(deployed.status).toBeLessThan(300);
});

const resolve = (body: Record<string, unknown>) =>
  call("POST", "/api/v1/prompts/resolve", { key: runtimeKey, body: { name, environment: "production", ...body } });

describe("images in a chat prompt", () => {
  it("refuse a version whose image is not one, naming why, and change nothing", async () => {
    const bad = async (content: unknown, vars: unknown[] = variables) =>
      call("POST", `/api/v1/prompts/${enc(name)}/versions`, {
        body: { type: "chat", template: [{ role: "user", content }], variables: vars },
      });
    const http = await bad([{ type: "image", url: "http://169.254.169.254/latest/meta-data" }]);
    expect(http.status).toBe(400);
    expect(errorCode(http)).toBe("invalid_input");
    expect(http.body.error.message).toMatch(/image url: an image must be an https: URL or a data:image/);
    const svg = await bad([{ type: "image", url: "data:image/png;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+PC9zdmc+" }]);
    expect(svg.body.error.message).toMatch(/the data is not a PNG, JPEG, GIF or WebP image/);
    const inText = await bad("Look at {{photo}}");
    expect(inText.body.error.message).toMatch(/uses image variable photo in text/);
    const versions = await call("GET", `/api/v1/prompts/${enc(name)}/versions`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it("resolve renders them and answers each model SDK's shape", async () => {
    const lectern = await resolve({ variables: { customer: "Ada", photo: "https://img.example.com/dent.jpg" } });
    expect(lectern.status).toBe(200);
    expect(lectern.body.rendered[1].content).toEqual([
      { type: "text", text: "Claim from Ada. Policy card and photo:" },
      { type: "image", url: photo },
      { type: "image", url: "https://img.example.com/dent.jpg" },
    ]);
    expect(lectern.body.formatted).toBeUndefined();
    const values = { customer: "Ada", photo };
    const openai = await resolve({ variables: values, format: "openai" });
    expect(openai.body.formatted.messages[1].content[2]).toEqual({ type: "image_url", image_url: { url: photo } });
    const anthropic = await resolve({ variables: values, format: "anthropic" });
    expect(anthropic.body.formatted.system).toBe("You assess insurance claims.");
    expect(anthropic.body.formatted.messages[0].content[1]).toEqual({
      type: "image",
      source: { type: "base64", media_type: "image/png", data: png },
    });
    const ai = await resolve({ variables: values, format: "ai-sdk" });
    expect(ai.body.formatted.messages[1].content[2]).toEqual({ type: "image", image: photo, mediaType: "image/png" });
  });

  it("resolve refuses an image variable that is not an image, and an unknown format", async () => {
    const r = await resolve({ variables: { customer: "Ada", photo: "file:///etc/passwd" } });
    expect(r.status).toBe(422);
    expect(errorCode(r)).toBe("invalid_variables");
    expect(r.body.error.message).toMatch(/photo must be an image, got a string that is not an image/);
    const f = await resolve({ variables: { customer: "Ada", photo }, format: "gemini" });
    expect(f.status).toBe(400);
    expect(errorCode(f)).toBe("invalid_input");
    expect(f.body.error.message).toMatch(/format must be one of openai, anthropic, ai-sdk/);
  });

  it("the TypeScript SDK renders what resolve renders, in every shape", async () => {
    const client = createClient({ baseUrl, apiKey: runtimeKey, push: false });
    try {
      const prompt = await client.getPrompt(name);
      const values = { customer: "Ada", photo };
      const rendered = prompt.render(values) as Message[];
      const server = await resolve({ variables: values });
      expect(rendered).toEqual(server.body.rendered);
      expect({ messages: toOpenAI(rendered) }).toEqual(
        (await resolve({ variables: values, format: "openai" })).body.formatted,
      );
      expect(toAnthropic(rendered)).toEqual((await resolve({ variables: values, format: "anthropic" })).body.formatted);
      expect({ messages: toAiSdk(rendered) }).toEqual(
        (await resolve({ variables: values, format: "ai-sdk" })).body.formatted,
      );
      expect(() => prompt.render({ customer: "Ada", photo: "http://x.example/a.png" })).toThrow(
        /photo must be an image/,
      );
    } finally {
      await client.close();
    }
  });

  it("the Python client renders what resolve renders, in OpenAI's and Anthropic's shapes", async () => {
    const script = `
import json, sys
from lectern import Lectern, to_openai, to_anthropic
client = Lectern(sys.argv[1], sys.argv[2], push=False)
prompt = client.get_prompt(sys.argv[3])
rendered = prompt.render({"customer": "Ada", "photo": sys.argv[4]})
print(json.dumps({"rendered": rendered, "openai": to_openai(rendered), "anthropic": to_anthropic(rendered)}))
client.close()
`;
    const { stdout } = await exec("python3", ["-c", script, baseUrl, runtimeKey, name, photo], {
      env: { ...process.env, PYTHONPATH: path.resolve(import.meta.dirname, "../../sdk-python/src") },
      timeout: 30_000,
    });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    const values = { customer: "Ada", photo };
    expect(out.rendered).toEqual((await resolve({ variables: values })).body.rendered);
    expect({ messages: out.openai }).toEqual((await resolve({ variables: values, format: "openai" })).body.formatted);
    expect(out.anthropic).toEqual((await resolve({ variables: values, format: "anthropic" })).body.formatted);
  });

  it("an MCP client gets the images as image content and links, one message per part", async () => {
    const client = new Client({ name: "lectern-images-test", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp?environment=production`), {
        requestInit: { headers: { authorization: `Bearer ${runtimeKey}` } },
      }),
    );
    try {
      const listed = await client.listPrompts();
      const arg = listed.prompts.find((p) => p.name === name)?.arguments?.find((a) => a.name === "photo");
      expect(arg?.description).toMatch(/image: an https: URL or a data:image/);
      const got = await client.getPrompt({
        name,
        arguments: { customer: "Ada", photo: "https://img.example.com/dent.jpg" },
      });
      expect(got.messages.map((m) => m.content)).toEqual([
        { type: "text", text: "You assess insurance claims." },
        { type: "text", text: "Claim from Ada. Policy card and photo:" },
        { type: "image", data: png, mimeType: "image/png" },
        expect.objectContaining({ type: "resource_link", uri: "https://img.example.com/dent.jpg" }),
      ]);
      await expect(client.getPrompt({ name, arguments: { customer: "Ada", photo: "ftp://x/y.png" } })).rejects.toThrow(
        /photo must be an image/,
      );
    } finally {
      await client.close();
    }
  });
});
