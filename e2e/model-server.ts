// The local model server (test/llm-server.ts) for e2e specs, on the port the server's LLM_BASE_URL points
// at. It runs as its own process (Playwright's loader cannot import test/llm-server.ts, an ES module) and
// is scripted over its control API.
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

export interface ModelServer {
  url: string;
  /** What a connection's baseUrl takes. */
  baseUrl: string;
  stop: () => void;
}

export async function startModelServer(script: object): Promise<ModelServer> {
  const port = Number(process.env.LECTERN_TEST_LLM_PORT);
  if (!port)
    throw new Error("LECTERN_TEST_LLM_PORT is not set: run e2e through scripts/with-server.sh (npm test does).");
  const url = `http://127.0.0.1:${port}`;
  const child = spawn("node_modules/.bin/tsx", ["test/llm-server.ts", "--port", String(port), "--host", "127.0.0.1"], {
    stdio: "inherit",
  });
  for (let i = 0; ; i++) {
    const up = await fetch(`${url}/__health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (up) break;
    if (i > 100) throw new Error(`the local model server did not start on ${url}`);
    await sleep(200);
  }
  const r = await fetch(`${url}/__script`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(script),
  });
  if (!r.ok) throw new Error(`scripting the local model server failed: ${r.status} ${await r.text()}`);
  return { url, baseUrl: `${url}/v1`, stop: () => child.kill() };
}
