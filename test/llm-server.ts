// A local model server for tests and the demo: real HTTP on node:http, speaking OpenAI
// (/v1/chat/completions, JSON and SSE, /v1/embeddings) and Anthropic (/v1/messages), answering from
// a script (see llm-server/script.ts). It is the only stand-in allowed in Lectern's tests: everything
// between callModel and the socket is the real AI SDK.
//
// From code:   const server = await startLlmServer({ script: { rules: [{ match: "refund", text: "…" }] } });
//              connection baseUrl = server.baseUrl; … server.script({...}); await server.stop();
// As a process: npx tsx test/llm-server.ts --port 4010 [--host 127.0.0.1] [--script script.json|.yaml]
//              control: GET /__health, GET /__requests, POST /__script (JSON body), POST /__release, POST /__reset
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import YAML from "yaml";
import { anthropicError, message, messageEvents, parseMessagesRequest } from "./llm-server/anthropic";
import type { Answer } from "./llm-server/answer";
import {
  chatCompletion,
  chatCompletionChunks,
  embeddingsResponse,
  openAIError,
  parseChatRequest,
  parseEmbeddingsRequest,
} from "./llm-server/openai";
import {
  countTokens,
  embedText,
  parseScript,
  replyText,
  ScriptState,
  type Api,
  type Script,
} from "./llm-server/script";

export {
  parseScript,
  sampleFromSchema,
  embedText,
  type Script,
  type ScriptRule,
  type ScriptReply,
  type ScriptFailure,
} from "./llm-server/script";

export interface LoggedRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  api: Api;
  model: string;
  /** Every message's text joined by newlines (embeddings: the inputs). */
  prompt: string;
  /** The query string's parameters. */
  query: Record<string, string>;
  stream: boolean;
  body: unknown;
  headers: IncomingMessage["headers"];
  /** Index of the script rule that answered, if any. */
  rule?: number;
  /** HTTP status sent; undefined while pending or for a hang. */
  status?: number;
  /** Milliseconds since the server started. */
  receivedAt: number;
}

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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function authorized(req: IncomingMessage, apiKey: string | undefined): boolean {
  if (apiKey === undefined) return true;
  return (
    req.headers.authorization === `Bearer ${apiKey}` ||
    req.headers["x-api-key"] === apiKey ||
    req.headers["api-key"] === apiKey
  );
}

export async function startLlmServer(opts: { port?: number; host?: string; script?: Script } = {}): Promise<LlmServer> {
  let state = new ScriptState(parseScript(opts.script));
  const started = performance.now();
  const log: LoggedRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let seq = 0;
  let held: Array<() => void> = [];
  const release = () => {
    const waiting = held;
    held = [];
    waiting.forEach((r) => r());
  };

  async function handleModel(api: Api, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    const script = state.script;
    const parsed =
      api === "chat"
        ? { ...parseChatRequest(body), jsonTool: false }
        : api === "messages"
          ? parseMessagesRequest(body)
          : undefined;
    const emb = api === "embeddings" ? parseEmbeddingsRequest(body) : undefined;
    const incoming = parsed
      ? { api, model: parsed.model, prompt: parsed.prompt, lastUser: parsed.lastUser }
      : { api, model: emb!.model, prompt: emb!.inputs.join("\n"), lastUser: emb!.inputs.at(-1) ?? "" };
    const entry: LoggedRequest = {
      seq: ++seq,
      api,
      model: incoming.model,
      prompt: incoming.prompt,
      query: Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams),
      stream: parsed?.stream ?? false,
      body,
      headers: req.headers,
      receivedAt: performance.now() - started,
    };
    log.push(entry);
    const errorBody = (status: number, msg: string) =>
      api === "messages" ? anthropicError(status, msg) : openAIError(status, msg);
    const fail = (status: number, msg: string, headers?: Record<string, string>) => {
      entry.status = status;
      sendJson(res, status, errorBody(status, msg), headers);
    };

    if (!authorized(req, script.apiKey)) return fail(401, "Incorrect API key provided");
    const decision = state.decide(incoming);
    entry.rule = decision.ruleIndex;
    const rule = decision.rule;
    if (rule?.hold) await new Promise<void>((r) => held.push(r));
    const latency = decision.reply.latencyMs ?? script.latencyMs;
    if (latency > 0) await sleep(latency);
    if (res.destroyed) return;

    const failure = rule?.fail;
    if (failure === "hang") return; // the socket stays open until the client gives up
    if (failure === "malformed") {
      entry.status = 200;
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"id": "broken", "choices": [ {"message": ');
      return;
    }
    if (failure) {
      const headers: Record<string, string> =
        failure.retryAfter !== undefined ? { "retry-after": String(failure.retryAfter) } : {};
      return fail(failure.status, failure.message ?? `Scripted failure (HTTP ${failure.status})`, headers);
    }

    if (emb) {
      const dims = emb.dimensions ?? script.embeddingDimensions;
      const vectors = emb.inputs.map((t) => embedText(t, dims, script.embeddings));
      entry.status = 200;
      return sendJson(
        res,
        200,
        embeddingsResponse(
          emb.model,
          vectors,
          emb.inputs.reduce((n, t) => n + countTokens(t), 0),
        ),
      );
    }

    const p = parsed!;
    const reply = decision.reply;
    const text =
      reply.toolCalls && reply.text === undefined && reply.json === undefined
        ? ""
        : replyText(decision, incoming, p.json);
    const toolCalls = (reply.toolCalls ?? []).map((c, i) => ({
      id: `call_${entry.seq}_${i}`,
      name: c.name,
      arguments: c.arguments ?? {},
    }));
    const answer: Answer = {
      id: `${api === "messages" ? "msg" : "chatcmpl"}_${entry.seq}`,
      created: 1_700_000_000 + entry.seq,
      model: p.model,
      text,
      toolCalls,
      finishReason: reply.finishReason ?? "stop",
      inputTokens: reply.usage?.input ?? countTokens(incoming.prompt),
      outputTokens:
        reply.usage?.output ?? countTokens(text + toolCalls.map((c) => JSON.stringify(c.arguments)).join("")),
    };
    entry.status = 200;
    if (!p.stream) return sendJson(res, 200, api === "messages" ? message(answer, p.jsonTool) : chatCompletion(answer));

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    const frames =
      api === "messages"
        ? messageEvents(answer, p.jsonTool).map((e) => `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`)
        : chatCompletionChunks(answer, "includeUsage" in p && p.includeUsage).map((d) => `data: ${d}\n\n`);
    for (const [i, frame] of frames.entries()) {
      if (res.destroyed) return;
      if (i > 0 && script.chunkDelayMs > 0) await sleep(script.chunkDelayMs);
      res.write(frame);
    }
    res.end();
  }

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
      if (route === "GET /__health") return sendJson(res, 200, { ok: true });
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
      await handleModel(modelApi, req, res, body);
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
