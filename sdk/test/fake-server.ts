// A small real HTTP server speaking the endpoints the SDK uses (resolve, events, a bundle's resolve), for
// unit tests that need the network without a whole Lectern. Its behaviour can be steered per test.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ResolveResponse } from "../src/types";

export const goodKey = "lk_rt_test_key";

export interface FakeLectern {
  url: string;
  /** Sets what (environment, name) serves; bumps nothing else. */
  serve(r: Partial<ResolveResponse> & { name: string; version: number }): void;
  /**
   * A bundle of prompts set with serve(). With a rollout, a subject whose hash falls below `share` gets every
   * member's `fresh` answer (arm "new"), any other subject every member's served one (arm "live").
   */
  serveBundle(name: string, members: string[], rollout?: BundleRolloutStub): void;
  /** Query strings of bundle resolve requests, in order. */
  bundleRequests: URLSearchParams[];
  /** Stops serving (environment, name): resolve answers 404 not_deployed. */
  unserve(name: string, environment?: string): void;
  /** Resolve requests seen, in order. */
  requests: { name: string; environment: string; ifNoneMatch: string | undefined; status: number }[];
  /** Resolve requests that have arrived (counted before any delay). */
  arrived: number;
  /** Last-Event-ID headers of event-stream connections, in order ("" when absent). */
  streams: string[];
  /** Answer every resolve with this status (e.g. 500), or hang for ms. */
  resolveStatus: number | undefined;
  resolveDelayMs: number;
  eventsStatus: number;
  /** Sends a prompt.changed frame to every open stream, optionally split into two writes. */
  emit(
    change: { name: string; environment: string | null; version: number; action?: string },
    id?: number,
    split?: boolean,
  ): void;
  /** Ends every open event stream (the client should reconnect). */
  dropStreams(): void;
  openStreams(): number;
  close(): Promise<void>;
}

export interface BundleRolloutStub {
  id: string;
  share: number;
  fresh: Record<string, Partial<ResolveResponse> & { version: number }>;
}

const key = (environment: string, name: string) => `${environment}\u0000${name}`;
/** The fake's own split of subjects, in [0, 1): stable per subject, as Lectern's hash is. */
export const fakeBucket = (subject: string) => createHash("sha256").update(subject).digest().readUInt32BE(0) / 2 ** 32;

export async function startFakeLectern(): Promise<FakeLectern> {
  const prompts = new Map<string, ResolveResponse>();
  const bundles = new Map<string, { members: string[]; rollout?: BundleRolloutStub }>();
  const sse = new Set<ServerResponse>();

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname.startsWith("/html/")) {
      res.writeHead(200, { "content-type": "text/html" });
      return res.end("<html>Welcome to nginx</html>");
    }
    if (req.headers.authorization !== `Bearer ${goodKey}`)
      return json(res, 401, { error: { code: "unauthorized", message: "Invalid API key." } });
    if (url.pathname === "/api/v1/events") {
      fake.streams.push(String(req.headers["last-event-id"] ?? ""));
      if (fake.eventsStatus !== 200)
        return json(res, fake.eventsStatus, { error: { code: "not_found", message: "No such route" } });
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write("retry: 100\n: connected\n\n");
      sse.add(res);
      res.on("close", () => sse.delete(res));
      return;
    }
    const bundleName = /^\/api\/v1\/bundles\/([^/]+)\/resolve$/.exec(url.pathname)?.[1];
    if (bundleName !== undefined) return resolveBundle(res, decodeURIComponent(bundleName), url.searchParams);
    if (url.pathname !== "/api/v1/prompts/resolve")
      return json(res, 404, { error: { code: "not_found", message: "No such route" } });
    const name = url.searchParams.get("name") ?? "";
    const environment = url.searchParams.get("environment") ?? "production";
    const ifNoneMatch = req.headers["if-none-match"];
    // Read the state when the request arrives, like a database read, then answer after the delay.
    const r = prompts.get(key(environment, name));
    fake.arrived++;
    const forced = fake.resolveStatus;
    if (fake.resolveDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, fake.resolveDelayMs));
    const record = (status: number) => fake.requests.push({ name, environment, ifNoneMatch, status });
    if (forced !== undefined) {
      record(forced);
      return json(res, forced, { error: { code: "internal", message: "Something went wrong." } });
    }
    if (!r) {
      record(404);
      return json(res, 404, {
        error: { code: "not_found", message: `No prompt named ${name} in this project.`, details: { prompt: name } },
      });
    }
    const etag = `"${name}-${r.version}-${Object.values(r.partials)
      .map((p) => p.version)
      .join(".")}"`;
    if (ifNoneMatch === etag) {
      record(304);
      res.writeHead(304, { etag });
      return res.end();
    }
    record(200);
    json(res, 200, { ...r, subject: url.searchParams.get("subject"), resolvedAt: new Date().toISOString() }, { etag });
  };

  const resolveBundle = (res: ServerResponse, name: string, q: URLSearchParams) => {
    fake.bundleRequests.push(q);
    const environment = q.get("environment") ?? "production";
    const subject = q.get("subject");
    const b = bundles.get(name);
    if (!b) return json(res, 404, { error: { code: "not_found", message: `No bundle named ${name}.` } });
    const arm: "new" | "live" | null =
      b.rollout && subject !== null ? (fakeBucket(subject) < b.rollout.share ? "new" : "live") : null;
    const answers: Record<string, ResolveResponse> = {};
    for (const m of b.members) {
      const live = prompts.get(key(environment, m));
      if (!live) return json(res, 404, { error: { code: "not_deployed", message: `${m} is not served.` } });
      const fresh = b.rollout?.fresh[m];
      const own = arm && fresh ? { id: `${b.rollout!.id}/${m}`, arm } : null;
      answers[m] = {
        ...live,
        ...(arm === "new" ? fresh : {}),
        experiment: own && { id: own.id, variant: own.arm, phase: 1 },
        rollout: own,
        subjectDependent: own !== null,
        subject,
        resolvedAt: new Date().toISOString(),
      };
    }
    const versions = Object.fromEntries(b.members.map((m) => [m, prompts.get(key(environment, m))!.version]));
    json(res, 200, {
      bundle: name,
      environment,
      release: { id: 1, at: new Date(0).toISOString(), action: "release", versions, current: true },
      rollout: arm ? { id: b.rollout!.id, arm } : null,
      subject,
      prompts: answers,
    });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeLectern = {
    url: `http://127.0.0.1:${port}`,
    requests: [],
    arrived: 0,
    streams: [],
    resolveStatus: undefined,
    resolveDelayMs: 0,
    eventsStatus: 200,
    serve(r) {
      const environment = r.environment ?? "production";
      prompts.set(key(environment, r.name), {
        type: "text",
        template: `v${r.version}`,
        variables: [],
        config: {},
        partials: {},
        experiment: null,
        subject: null,
        liveSince: null,
        resolvedAt: "",
        ...r,
        environment,
      });
    },
    bundleRequests: [],
    serveBundle(name, members, rollout) {
      bundles.set(name, { members, rollout });
    },
    unserve(name, environment = "production") {
      prompts.delete(key(environment, name));
    },
    emit(change, id, split) {
      const frame = `${id === undefined ? "" : `id: ${id}\n`}event: prompt.changed\ndata: ${JSON.stringify({ action: "promote", ...change })}\n\n`;
      for (const res of sse) {
        if (!split) res.write(frame);
        else {
          const mid = Math.floor(frame.length / 2);
          res.write(frame.slice(0, mid));
          setTimeout(() => res.write(frame.slice(mid)), 5);
        }
      }
    },
    dropStreams() {
      for (const res of sse) res.end();
    },
    openStreams: () => sse.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of sse) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** Polls until `check` holds, failing after `ms`. */
export async function eventually<T>(check: () => T | Promise<T>, ms = 2_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const v = await check();
      if (v !== false && v !== undefined) return v;
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A port nothing listens on. */
export async function closedPort(): Promise<string> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
