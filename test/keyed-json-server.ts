// The frame of the local stand-ins for vendor APIs (langsmith-server.ts, promptlayer-server.ts): a JSON server on a
// free port of 127.0.0.1 that records every request and answers only those carrying its key in X-API-KEY.
import http from "node:http";
import type { AddressInfo } from "node:net";

export abstract class KeyedJsonServer {
  readonly requests: string[] = [];
  private server?: http.Server;
  url = "";
  /** `refused`: the body of the 401 answered to a request without the key. */
  constructor(
    readonly key: string,
    private readonly refused: unknown,
  ) {}

  /** The status and body answered to a GET of `path` with the key. */
  protected abstract answer(path: string, query: URLSearchParams): [number, unknown];

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      this.requests.push(`${req.method} ${url.pathname}${url.search}`);
      const [status, body] =
        req.headers["x-api-key"] === this.key ? this.answer(url.pathname, url.searchParams) : [401, this.refused];
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop = () => new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
}
