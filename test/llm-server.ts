// A local model server for tests and the demo: real HTTP on node:http, speaking OpenAI
// (/v1/chat/completions, JSON and SSE, /v1/embeddings) and Anthropic (/v1/messages), answering from
// a script (llm-server/script.ts; one request's answer: llm-server/model-request.ts). It is the only
// stand-in allowed in Lectern's tests: everything between callModel and the socket is the real AI SDK.
//
// From code:   const server = await startLlmServer({ script: { rules: [{ match: "refund", text: "…" }] } });
//              connection baseUrl = server.baseUrl; … server.script({...}); await server.stop();
// As a process: npx tsx test/llm-server.ts --port 4010 [--host 127.0.0.1] [--script script.json|.yaml]
//              control: GET /__health, GET /__requests, POST /__script (JSON body), POST /__release, POST /__reset
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import {
  answerModelRequest,
  readBody,
  sendJson,
  type LoggedRequest,
  type ModelContext,
} from "./llm-server/model-request";
import { openAIError } from "./llm-server/openai";
import { parseScript, ScriptState, type Api, type Script } from "./llm-server/script";

export type { LoggedRequest } from "./llm-server/model-request";
export { sha256Hex, type ReceivedImage } from "./llm-server/images";
export {
  parseScript,
  sampleFromSchema,
  embedText,
  type Script,
  type ScriptRule,
  type ScriptReply,
  type ScriptFailure,
} from "./llm-server/script";

export interface LlmServer {
  /** http://host:port */
  readonly url: string;
  /** url + "/v1": what a connection's baseUrl takes, for OpenAI, Anthropic and OpenAI-compatible alike. */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: readonly LoggedRequest[];
  /** Model requests being handled right now, and the most seen at once since the last reset. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Replaces the script from the next request on; rule counters restart. Throws on an invalid script. */
  script(next: Script): void;
  /** Lets every held request answer. */
  release(): void;
  /** Clears the request log and the in-flight maximum. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startLlmServer(opts: { port?: number; host?: string; script?: Script } = {}): Promise<LlmServer> {
  let state = new ScriptState(parseScript(opts.script));
  const started = performance.now();
  const log: LoggedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let seq = 0;
  let held: Array<() => void> = [];
  const ctx: ModelContext = {
    state: () => state,
    log,
    nextSeq: () => ++seq,
    startedAt: started,
    hold: () => new Promise<void>((r) => held.push(r)),
  };
  const release = () => {
    const waiting = held;
    held = [];
    waiting.forEach((r) => r());
  };

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? "/").split("?")[0]!.replace(/^\/v1(?=\/)/, "");
      const raw = await readBody(req);
      let body: unknown = undefined;
      if (raw !== "") {
        try {
          body = JSON.parse(raw);
        } catch {
          return sendJson(res, 400, openAIError(400, "Request body is not valid JSON"));
        }
      }
      const route = `${req.method} ${path}`;
      if (route === "GET /__health") return sendJson(res, 200, { ok: true, inFlight });
      if (route === "GET /__requests") return sendJson(res, 200, log);
      if (route === "POST /__release") return (release(), sendJson(res, 200, { ok: true }));
      if (route === "POST /__reset") return (api.reset(), sendJson(res, 200, { ok: true }));
      if (route === "POST /__script") {
        try {
          api.script(body as Script);
          return sendJson(res, 200, { ok: true });
        } catch (e) {
          return sendJson(res, 400, { error: { message: (e as Error).message } });
        }
      }
      const modelApi: Api | undefined =
        route === "POST /chat/completions"
          ? "chat"
          : route === "POST /messages"
            ? "messages"
            : route === "POST /embeddings"
              ? "embeddings"
              : undefined;
      if (!modelApi) return sendJson(res, 404, openAIError(404, `No route ${route}`));
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // In flight until the server ends the answer, or the client gives up ("close"). Not "finish" or
      // "close" alone: those fire after the socket write completes, by which time the client may have
      // read the answer and sent its next request, and max in-flight would count one too many.
      let counted = true;
      const done = () => {
        if (counted) inFlight--;
        counted = false;
      };
      const end = res.end.bind(res);
      res.end = ((...args: Parameters<typeof end>) => (done(), end(...args))) as typeof res.end;
      res.once("close", done);
      await answerModelRequest(ctx, modelApi, req, res, body);
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, openAIError(500, `llm-server bug: ${(e as Error).message}`));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  const url = `http://${host}:${port}`;

  const api: LlmServer = {
    url,
    baseUrl: `${url}/v1`,
    port,
    get requests() {
      return log;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    script(next) {
      state = new ScriptState(parseScript(next));
    },
    release,
    reset() {
      log.length = 0;
      maxInFlight = inFlight;
    },
    async stop() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return api;
}

/** Reads a script file: JSON, or YAML for .yaml/.yml. */
export function loadScriptFile(file: string): Script {
  const text = readFileSync(file, "utf8");
  const data: unknown = /\.ya?ml$/i.test(file) ? YAML.parse(text) : JSON.parse(text);
  parseScript(data);
  return data as Script;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const file = argValue(args, "--script");
  const server = await startLlmServer({
    port: Number(argValue(args, "--port") ?? 4010),
    host: argValue(args, "--host") ?? "127.0.0.1",
    script: file ? loadScriptFile(file) : undefined,
  });
  console.log(`llm-server listening on ${server.baseUrl}${file ? ` with script ${file}` : ""}`);
  const shutdown = () => void server.stop().then(() => process.exit(0));
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
