// A local HTTP server that plays a webhook receiver: it records every request, verifies the
// Lectern-Signature against the secret it is given, and answers as the test scripts it
// (a status per request, a redirect, or no answer at all).
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Db } from "../db/client";
import { dispatchAuditEvents, type DispatchResult } from "../lib/webhooks/dispatch";
import { verifySignature, type VerifyResult } from "../lib/webhooks/signature";

export type Received = {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  signature: VerifyResult | null;
};
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | "hang";

export interface Receiver {
  url: string;
  port: number;
  requests: Received[];
  /** The secret signatures are verified with (set after the webhook is created). */
  secret: string | null;
  /** Replies for the next requests, in order; afterwards every request gets 200. */
  script: Reply[];
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<() => void>();
  const state = { secret: null as string | null, script: [] as Reply[], requests: [] as Received[] };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const header = req.headers["lectern-signature"];
      state.requests.push({
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        body,
        signature: state.secret
          ? verifySignature(typeof header === "string" ? header : null, state.secret, body)
          : null,
      });
      const reply = state.script.shift() ?? { status: 200, body: "ok" };
      if (reply === "hang") {
        hanging.add(() => res.destroy());
        return;
      }
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body ?? "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    get secret() {
      return state.secret;
    },
    set secret(s) {
      state.secret = s;
    },
    get script() {
      return state.script;
    },
    set script(s) {
      state.script = s;
    },
    async close() {
      for (const h of hanging) h();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/**
 * Dispatches until no committed entry is held back by a transaction still running somewhere in the
 * cluster (other test files and other engineers' servers share the PostgreSQL instance), summing
 * what was examined: the dispatcher delays such entries, it does not lose them.
 */
export async function dispatchAll(db: Db, opts: { batchSize?: number } = {}) {
  const total: DispatchResult = { examined: 0, deliveries: [], waiting: false };
  for (let i = 0; ; i++) {
    const r = await dispatchAuditEvents(db, opts);
    total.examined += r.examined;
    total.deliveries.push(...r.deliveries);
    if (!r.waiting) return total;
    if (i > 600) throw new Error("audit entries stayed held back by a running transaction for over a minute");
    await new Promise((res) => setTimeout(res, 100));
  }
}
