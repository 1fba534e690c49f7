// A local https server that serves images (and things that are not images) to the tests of image
// fetching: real TLS on 127.0.0.1 with the test-only certificate in test/fixtures (valid for 127.0.0.1,
// localhost, images.test and cdn.test), which callers trust through the fetcher's `ca` option.
import { readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";

const fixtures = path.join(process.cwd(), "test", "fixtures");
export const imageHostCa = readFileSync(path.join(fixtures, "image-host-cert.pem"), "utf8");
const key = readFileSync(path.join(fixtures, "image-host-key.pem"), "utf8");

/** A valid 1×1 PNG (a red pixel). */
export const tinyPng = Uint8Array.from(
  Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==",
    "base64",
  ),
);
/** The first bytes of a JPEG (enough for the type check, which reads magic bytes only). */
export const jpegBytes = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);

export const dataUrlOf = (bytes: Uint8Array, mediaType = "image/png") =>
  `data:${mediaType};base64,${Buffer.from(bytes).toString("base64")}`;

export interface HostedReply {
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Sent in chunks without a Content-Length (a body whose size is only known by reading it). */
  chunked?: boolean;
  /** Never answers (the connection stays open until the client gives up). */
  hang?: boolean;
}

export interface ImageHost {
  /** https://127.0.0.1:port */
  readonly url: string;
  readonly port: number;
  /** Paths requested, in order. */
  readonly requests: string[];
  /** What a path answers (replaces an earlier reply for it); unknown paths answer 404. */
  serve(pathname: string, reply: HostedReply): void;
  stop(): Promise<void>;
}

export async function startImageHost(): Promise<ImageHost> {
  const replies = new Map<string, HostedReply>();
  const requests: string[] = [];
  const server = createServer({ key, cert: imageHostCa }, (req, res) => {
    const pathname = (req.url ?? "/").split("?")[0]!;
    requests.push(pathname);
    const reply = replies.get(pathname);
    if (!reply) return res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    if (reply.hang) return;
    const body = reply.body === undefined ? Buffer.alloc(0) : Buffer.from(reply.body);
    if (!reply.chunked) {
      res.writeHead(reply.status ?? 200, { "content-length": String(body.length), ...reply.headers });
      return res.end(body);
    }
    res.writeHead(reply.status ?? 200, reply.headers ?? {});
    const step = 64 * 1024;
    let at = 0;
    const pump = () => {
      while (at < body.length) {
        const ok = res.write(body.subarray(at, (at += step)));
        if (!ok) return void res.once("drain", pump);
      }
      res.end();
    };
    pump();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    serve: (pathname, reply) => void replies.set(pathname, reply),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
