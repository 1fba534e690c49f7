// One model request answered from the script: logged, authorised, held or delayed, failed as the
// script says, or answered in the OpenAI or Anthropic shape (JSON or SSE), or with embeddings.
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { anthropicError, message, messageEvents, parseMessagesRequest } from "./anthropic";
import type { Answer } from "./answer";
import type { ReceivedImage } from "./images";
import {
  chatCompletion,
  chatCompletionChunks,
  embeddingsResponse,
  openAIError,
  parseChatRequest,
  parseEmbeddingsRequest,
} from "./openai";
import { countTokens, embedText, replyText, type Api, type ScriptState } from "./script";

export interface LoggedRequest {
  /** 1, 2, 3… in arrival order. */
  seq: number;
  api: Api;
  model: string;
  /** Every message's text joined by newlines (embeddings: the inputs). */
  prompt: string;
  /** The images the request carried, in order (see llm-server/images.ts). */
  images: ReceivedImage[];
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

/** What answering needs from the server: its current script, its log, and where held requests wait. */
export interface ModelContext {
  state(): ScriptState;
  readonly log: LoggedRequest[];
  nextSeq(): number;
  /** performance.now() when the server started. */
  readonly startedAt: number;
  /** Resolves when the server releases held requests. */
  hold(): Promise<void>;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
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

export async function answerModelRequest(
  ctx: ModelContext,
  api: Api,
  req: IncomingMessage,
  res: ServerResponse,
  body: unknown,
): Promise<void> {
  const state = ctx.state();
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
    seq: ctx.nextSeq(),
    api,
    model: incoming.model,
    prompt: incoming.prompt,
    images: parsed?.images ?? [],
    query: Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams),
    stream: parsed?.stream ?? false,
    body,
    headers: req.headers,
    receivedAt: performance.now() - ctx.startedAt,
  };
  ctx.log.push(entry);
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
  if (rule?.hold) await ctx.hold();
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
    outputTokens: reply.usage?.output ?? countTokens(text + toolCalls.map((c) => JSON.stringify(c.arguments)).join("")),
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
