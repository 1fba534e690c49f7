// The local model server (test/llm-server.ts) for e2e specs. It runs as its own process (Playwright's loader
// cannot import test/llm-server.ts, an ES module) and is scripted over its control API. By default it listens
// on a port of its own, which the spec names in a connection (so specs in parallel workers each have theirs);
// `{ defaultConnection: true }` puts it on the port the server's LLM_BASE_URL points at instead, which only
// specs in the `shared` Playwright project may do (one at a time: playwright.config.ts).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import { systemCtx, test, type Seeded } from "./fixtures";

/** A text version asking the scripted model `{{question}}` (a required string), with any more `config`. */
export const questionVersion = (template: string, config: Record<string, unknown> = {}) => ({
  type: "text",
  template,
  variables: [{ name: "question", type: "string", required: true }],
  config: { model: "scripted-model", ...config },
});

export interface ModelServer {
  url: string;
  /** What a connection's baseUrl takes. */
  baseUrl: string;
  stop: () => void;
}

export async function startModelServer(
  script: object,
  opts: { defaultConnection?: boolean } = {},
): Promise<ModelServer> {
  let port = 0;
  if (opts.defaultConnection) {
    port = Number(process.env.LECTERN_TEST_LLM_PORT);
    if (!port)
      throw new Error("LECTERN_TEST_LLM_PORT is not set: run e2e through scripts/with-server.sh (npm test does).");
  }
  const child = spawn("node_modules/.bin/tsx", ["test/llm-server.ts", "--port", String(port), "--host", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  // It says where it listens once it does ("llm-server listening on http://127.0.0.1:PORT/v1").
  const lines = createInterface({ input: child.stdout! });
  const listening = new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const m = /listening on (http:\/\/[^/\s]+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    void once(child, "exit").then(([code]) =>
      reject(new Error(`the local model server exited (${code}) before listening`)),
    );
  });
  const url = await listening;
  const r = await fetch(`${url}/__script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(script),
  });
  if (!r.ok) throw new Error(`scripting the local model server failed: ${r.status} ${await r.text()}`);
  return { url, baseUrl: `${url}/v1`, stop: () => child.kill() };
}

/** A model server for the spec file's tests: started before them, stopped after; the function returns it. */
export function modelServerForFile(script: object, opts: { defaultConnection?: boolean } = {}): () => ModelServer {
  let server: ModelServer | undefined;
  test.beforeAll(async () => {
    server = await startModelServer(script, opts);
  });
  test.afterAll(() => {
    server?.stop();
  });
  return () => {
    if (!server) throw new Error("the local model server has not started");
    return server;
  };
}

/** What the model answers in the specs on the demo's support reply: as its edited prompt asks, short, with a next step. */
export const demoReplyScript = {
  latencyMs: 5,
  default: { text: "Hi, thanks for reaching out. Next step: reply to this email and I will escalate it." },
};

/** The demo's prompts in the spec's project, run by the project's model (LLM_BASE_URL), not the demo's scripted one. */
export const seedDemoOnModelServer = (seeded: Seeded) => seedDemoPrompts(systemCtx(seeded), { scriptedModel: false });
