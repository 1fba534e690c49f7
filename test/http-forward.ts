// Passes one HTTP request on to another server and pipes its answer back (the gateways of the MCP tests).
import http from "node:http";

/** Sends `req` to `to` (its method and path, `to.headers` for its headers) and answers `res` with what comes back. */
export function forwardRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  to: { host: string; port: number | string; headers: http.OutgoingHttpHeaders },
): void {
  const forward = http.request({ ...to, method: req.method, path: req.url }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  forward.on("error", () => res.destroy());
  res.on("close", () => forward.destroy());
  req.pipe(forward);
}
