// Connection caps for Lectern's server: a total (server.maxConnections) and a number per client
// address, counted when a connection is accepted — never per request, so the runtime fast path pays
// nothing for it. ~21,000 idle connections from one client took resolve and health down; now one
// address holds at most LECTERN_MAX_CONNECTIONS_PER_ADDRESS, and a connection over the cap is answered
// 429 and closed. Behind a reverse proxy every client shares its address: raise the per-address cap.
import type { Server } from "node:http";
import type { Socket } from "node:net";
import { AppError, errorEnvelope } from "../lib/errors";

const TOO_MANY =
  "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 5\r\nconnection: close\r\ncontent-length: ";

function refuse(socket: Socket, message: string) {
  const body = JSON.stringify(errorEnvelope(new AppError("rate_limited", message)));
  socket.end(`${TOO_MANY}${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // A client that never reads must not keep the socket either.
  setTimeout(() => socket.destroy(), 1000).unref();
}

export function limitConnections(server: Server, opts: { max: number; perAddress: number }): Map<string, number> {
  server.maxConnections = opts.max;
  const open = new Map<string, number>();
  server.on("connection", (socket: Socket) => {
    const address = socket.remoteAddress ?? "";
    const n = (open.get(address) ?? 0) + 1;
    if (n > opts.perAddress)
      return refuse(
        socket,
        `This address already has ${opts.perAddress} open connections (LECTERN_MAX_CONNECTIONS_PER_ADDRESS); reuse one (keep-alive) or close some.`,
      );
    open.set(address, n);
    socket.once("close", () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left > 0) open.set(address, left);
      else open.delete(address);
    });
  });
  return open;
}
