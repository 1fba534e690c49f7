// Forwards a request to the Next process (gateway/next-process.ts) over its private socket and sends
// its answer back: the bytes as Next wrote them, minus what belongs to one connection (RFC 9110 §7.6.1).
// The answer waits, if it must, until every invalidation Next announced before answering has reached
// this process, so that a change made through Next is served here as soon as its call returns.
import { request, type Agent, type IncomingMessage, type ServerResponse } from "node:http";
import { PEER_HEADER } from "../lib/auth/client-ip";

/** Set by the Next process on every answer: how many bus messages it had sent when it answered. */
export const BUS_SEQ_HEADER = "x-lectern-bus-seq";

// Hop-by-hop: they describe this connection, not the message. `expect` is answered by this server
// (Node sends 100 Continue itself), so Next must not wait for a body that is already coming.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
  "expect",
]);

/** Names listed in Connection are hop-by-hop too. */
function connectionTokens(raw: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.toLowerCase() === "connection")
      for (const t of raw[i + 1]!.split(",")) if (t.trim()) out.add(t.trim().toLowerCase());
  return out;
}

function filtered(raw: readonly string[], drop: (name: string) => boolean): string[] {
  const extra = connectionTokens(raw);
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (!HOP_BY_HOP.has(name) && !extra.has(name) && !drop(name)) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}

/** A client's headers as Next gets them (raw: names' case and repeated fields kept), with the peer's address this server saw. */
export function requestHeadersForNext(raw: readonly string[], peer: string | undefined): string[] {
  // Whatever a client sent as the peer header is dropped: only this server knows the peer.
  const out = filtered(raw, (name) => name === PEER_HEADER);
  out.push(PEER_HEADER, peer ?? "");
  return out;
}

/** Next's answer headers as the client gets them (Set-Cookie and other repeated fields kept). */
export function responseHeadersFromNext(raw: readonly string[]): string[] {
  return filtered(raw, (name) => name === BUS_SEQ_HEADER);
}

export type Upstream = {
  agent: Agent;
  socketPath: string;
  /** Resolves once this process has applied the Next process's first `n` bus messages. */
  applied(n: number): Promise<void>;
};

/**
 * Sends `req` to Next and pipes the answer to `res`. `unavailable` answers when Next cannot be
 * reached before anything was sent; a failure after the answer began cuts the connection (the
 * client sees a truncated answer, never a wrong one). `body`: the request's body already read here (the MCP
 * fast path's), sent instead of the request's stream.
 */
export function forward(
  req: IncomingMessage,
  res: ServerResponse,
  up: Upstream,
  unavailable: (req: IncomingMessage, res: ServerResponse) => void,
  body?: Buffer,
): void {
  const out = request({
    socketPath: up.socketPath,
    agent: up.agent,
    method: req.method,
    path: req.url,
    headers: requestHeadersForNext(req.rawHeaders, req.socket.remoteAddress),
    setHost: false,
  });
  let answered = false;
  out.on("response", (answer) => {
    answered = true;
    const seq = Number(answer.headers[BUS_SEQ_HEADER] ?? 0);
    const send = () => {
      if (res.destroyed) return void answer.destroy();
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, responseHeadersFromNext(answer.rawHeaders));
      answer.pipe(res);
      answer.once("error", () => res.destroy());
    };
    if (seq > 0) up.applied(seq).then(send, send);
    else send();
  });
  out.on("error", () => {
    if (!answered && !res.headersSent) unavailable(req, res);
    else res.destroy();
  });
  // The client went away: stop Next's work on its behalf (a stream it was reading, a page it was rendering).
  res.once("close", () => {
    if (!res.writableFinished) out.destroy();
  });
  if (body) out.end(body);
  else req.pipe(out);
}
