// The Python client against the running server, installed the way the README says: a fresh venv,
// `pip install --no-index <lectern>/sdk/lectern-<version>-py3-none-any.whl` (no package index), then a
// script that resolves a chat prompt with a partial, renders it as the server does, sees a deployment
// arrive over the event stream, and tracks events the server stores.
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const baseUrl = process.env.LECTERN_TEST_BASE_URL ?? "";
const adminKey = process.env.LECTERN_TEST_ADMIN_KEY ?? "";
if (!baseUrl)
  throw new Error("LECTERN_TEST_BASE_URL is not set: run the api tier through scripts/with-server.sh (npm test does).");
const python = process.env.LECTERN_TEST_PYTHON ?? "python3";
const repo = path.resolve(import.meta.dirname, "../..");
const version = /^__version__ = "([^"]+)"$/m.exec(
  readFileSync(path.join(repo, "sdk-python/src/lectern/__init__.py"), "utf8"),
)?.[1];
const wheelUrl = `${baseUrl}/sdk/lectern-${version}-py3-none-any.whl`;

async function call(method: string, url: string, key: string, body?: unknown) {
  const res = await fetch(baseUrl + url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
async function admin(method: string, url: string, body?: unknown) {
  const r = await call(method, url, adminKey, body);
  if (r.status >= 300) throw new Error(`${method} ${url} → ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

const tag = randomBytes(3).toString("hex");
const tone = `py-tone-${tag}`;
const name = `py/support-${tag}`;
const enc = encodeURIComponent;
let dir = "";
let runtimeKey = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lectern-python-"));
  runtimeKey = (await admin("POST", "/api/v1/api-keys", { name: `python ${tag}`, scope: "runtime" })).key;
  await admin("POST", "/api/v1/prompts", {
    name: tone,
    type: "text",
    template: "Be kind to {{customer}}.",
    variables: [{ name: "customer" }],
  });
  await admin("POST", "/api/v1/prompts", {
    name,
    type: "chat",
    template: [
      { role: "system", content: `{{> ${tone}}}\nYou help {{customer}} with {{#topics}}{{.}}; {{/topics}}` },
      { role: "user", content: "{{question}}" },
    ],
    variables: [{ name: "customer" }, { name: "topics", type: "json" }, { name: "question" }],
  });
  await admin("POST", `/api/v1/prompts/${enc(name)}/versions`, {
    type: "chat",
    template: [{ role: "system", content: "v2 for {{customer}}" }],
    variables: [{ name: "customer" }],
  });
  for (const n of [tone, name])
    await admin("POST", `/api/v1/prompts/${enc(n)}/deployments`, { environment: "production", version: 1 });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The application: one JSON line per step; it waits for "deployed" on stdin before the second.
const app = `
import json, sys, time
from lectern import Lectern, LecternNotFoundError

base, key, name, ids = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(",")
values = {"customer": "Ann", "topics": ["billing", 2.0, {"plan": "pro"}], "question": "Why?"}
lectern = Lectern(base, key, environment="production", cache_ttl=3600, poll_interval=0)

def say(**kw):
    print(json.dumps(kw), flush=True)

p = lectern.get_prompt(name, subject="u1")
say(step="first", version=p.version, type=p.type, source=p.source, rendered=p.render(values))
try:
    lectern.get_prompt(name + "-missing", fallback="never served")
except LecternNotFoundError as e:
    say(step="missing", code=e.code, status=e.status)
other = Lectern(base, key, environment="production", push=False)
r = other.prefetch([name, name + "-missing"])
say(step="prefetch", loaded=r["loaded"], errors=[e["code"] for e in r["errors"]], source=other.get_prompt(name).source)
other.close()
sys.stdin.readline()
deadline = time.monotonic() + 30
while lectern.get_prompt(name).version != 2 and time.monotonic() < deadline:
    time.sleep(0.02)
p2 = lectern.get_prompt(name)
say(step="pushed", version=p2.version, rendered=p2.render({"customer": "Bo"}))
fields = p.event_fields("u1")
events = [
    dict(fields, id=ids[0], type="generation", latencyMs=812, inputTokens=120, outputTokens=48, model="m"),
    dict(fields, id=ids[1], type="outcome", name="resolved", value=True),
]
for e in events:
    lectern.track(e)
say(step="tracked", ok=lectern.close(), events=events)
`;

describe("the Python client from the wheel Lectern serves", () => {
  it("serves the wheel", async () => {
    const res = await fetch(wheelUrl);
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04])); // a zip
  });

  it("installs with no index, resolves, renders like the server, follows a deployment and tracks", async () => {
    await exec(python, ["-m", "venv", path.join(dir, "venv")], { timeout: 60_000 });
    const venvPython = path.join(dir, "venv", process.platform === "win32" ? "Scripts/python.exe" : "bin/python");
    await exec(venvPython, ["-m", "pip", "install", "--no-index", "--disable-pip-version-check", wheelUrl], {
      timeout: 90_000,
    });
    await writeFile(path.join(dir, "app.py"), app);

    const ids = [`py-${tag}-generation`, `py-${tag}-outcome`];
    const child = spawn(venvPython, [path.join(dir, "app.py"), baseUrl, runtimeKey, name, ids.join(",")], { cwd: dir });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`the Python app ended early:\n${stderr}`);
      return JSON.parse(value as string) as Record<string, any>;
    };

    const first = await next();
    const server = await call("POST", "/api/v1/prompts/resolve", runtimeKey, {
      name,
      subject: "u1",
      variables: { customer: "Ann", topics: ["billing", 2, { plan: "pro" }], question: "Why?" },
    });
    expect(server.status).toBe(200);
    expect(first).toEqual({
      step: "first",
      version: 1,
      type: "chat",
      source: "network",
      rendered: server.body.rendered,
    });
    expect(first.rendered[0].content).toBe('Be kind to Ann.\nYou help Ann with billing; 2; {"plan":"pro"}; ');
    expect(await next()).toEqual({ step: "missing", code: "not_found", status: 404 });
    // prefetch: one batch request, then a cache hit.
    expect(await next()).toEqual({ step: "prefetch", loaded: [name], errors: ["not_found"], source: "cache" });

    await admin("POST", `/api/v1/prompts/${enc(name)}/deployments`, {
      environment: "production",
      version: 2,
      confirmBreaking: true,
    });
    child.stdin.write("deployed\n");
    expect(await next()).toEqual({ step: "pushed", version: 2, rendered: [{ role: "system", content: "v2 for Bo" }] });
    const tracked = await next();
    expect(tracked.ok).toBe(true);
    expect(tracked.events.map((e: { id: string }) => e.id)).toEqual(ids);
    expect(tracked.events[0]).toMatchObject({ prompt: name, version: 1, environment: "production", subject: "u1" });
    // The server stored both: sent again, with the same ids, they are duplicates.
    const again = await call("POST", "/api/v1/events", runtimeKey, { events: tracked.events });
    expect([again.status, again.body]).toEqual([202, { accepted: 0, duplicates: 2 }]);
  });
});
