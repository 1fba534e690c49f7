// A local server that answers Langfuse's public prompt API from recorded answers
// (test/langfuse-recorded/project.json), for the importer's tests: no network. It serves the list
// (derived from the versions, paginated as Langfuse does), each version by number or label (raw, as
// `resolve=false` answers), HTTP Basic auth with the recorded keys, and the 404s and 401s Langfuse gives.
// Tests may add versions while it runs (a second import then finds them).
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface RecordedVersion {
  name: string;
  version: number;
  type: "text" | "chat";
  prompt: unknown;
  config: unknown;
  labels: string[];
  tags: string[];
  commitMessage: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

interface Recorded {
  publicKey: string;
  secretKey: string;
  versions: RecordedVersion[];
}

export function recordedProject(): Recorded {
  // Relative to the repository root, where every test runner starts (Playwright compiles without import.meta).
  return JSON.parse(readFileSync(path.join(process.cwd(), "test", "langfuse-recorded", "project.json"), "utf8"));
}

export class LangfuseServer {
  readonly recorded = recordedProject();
  /** Every request path, for tests that check what the importer asked. */
  readonly requests: string[] = [];
  private server: http.Server | undefined;

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }
  get publicKey() {
    return this.recorded.publicKey;
  }
  get secretKey() {
    return this.recorded.secretKey;
  }

  /** Adds a version as Langfuse would (its labels leave the versions that had them; it becomes latest). */
  addVersion(v: Omit<RecordedVersion, "version" | "createdAt" | "updatedAt">): RecordedVersion {
    const mine = this.recorded.versions.filter((x) => x.name === v.name);
    const version = Math.max(0, ...mine.map((x) => x.version)) + 1;
    for (const x of mine) x.labels = x.labels.filter((l) => l !== "latest" && !v.labels.includes(l));
    const at = new Date().toISOString();
    const row = { ...v, version, labels: [...v.labels, "latest"], createdAt: at, updatedAt: at };
    this.recorded.versions.push(row);
    return row;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => this.answer(req, res));
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
  }

  async stop(): Promise<void> {
    await new Promise((r) => this.server?.close(r));
  }

  private answer(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    this.requests.push(url.pathname + url.search);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const expected = `Basic ${Buffer.from(`${this.publicKey}:${this.secretKey}`).toString("base64")}`;
    if (req.headers.authorization !== expected)
      return send(401, { message: "Invalid authorization header", error: "UnauthorizedError" });
    if (req.method !== "GET") return send(405, { message: "Method not allowed" });
    const base = "/api/public/v2/prompts";
    if (url.pathname === base) return send(200, this.list(url.searchParams));
    if (url.pathname.startsWith(`${base}/`)) {
      const name = decodeURIComponent(url.pathname.slice(base.length + 1));
      const version = url.searchParams.get("version");
      const label = url.searchParams.get("label") ?? (version ? null : "production");
      const found = this.recorded.versions.find(
        (v) => v.name === name && (version ? v.version === Number(version) : v.labels.includes(label!)),
      );
      if (!found)
        return send(404, {
          message: `Prompt not found: '${name}' ${version ? `with version ${version}` : `with label '${label}'`}`,
          error: "LangfuseNotFoundError",
        });
      return send(200, found);
    }
    return send(404, { message: "Not found", error: "LangfuseNotFoundError" });
  }

  private list(q: URLSearchParams) {
    const page = Number(q.get("page") ?? 1);
    const limit = Number(q.get("limit") ?? 10);
    const names = [...new Set(this.recorded.versions.map((v) => v.name))].sort();
    const data = names.slice((page - 1) * limit, page * limit).map((name) => {
      const vs = this.recorded.versions.filter((v) => v.name === name).sort((a, b) => a.version - b.version);
      const last = vs.at(-1)!;
      return {
        name,
        type: last.type,
        versions: vs.map((v) => v.version),
        labels: [...new Set(vs.flatMap((v) => v.labels))].sort(),
        tags: last.tags,
        lastUpdatedAt: vs
          .map((v) => v.updatedAt)
          .sort()
          .at(-1),
        lastConfig: last.config,
      };
    });
    const meta = { page, limit, totalItems: names.length, totalPages: Math.ceil(names.length / limit) };
    return { data, meta, pagination: meta };
  }
}
