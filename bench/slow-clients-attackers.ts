// The attackers of bench/slow-clients.ts, in a process of their own (as they would be on another machine).
// `node --import tsx bench/slow-clients-attackers.ts <url> <runtime keys, comma-separated> <mode> <clients>`; client i
// uses key i (modulo), so no single key's budget stops them all:
//   readers: `clients` connections that each ask for a batch of every prompt ({"all": true}) and never read the
//            answer (the socket is paused, so the kernel's buffers fill and stay full); each gives up after a
//            second and asks again on a new connection, as a client with a timeout and retries does
//   gzip:    `clients` loops that each send an OTLP export of 64 KiB of gzip that inflates past every limit
//            (64 MiB of zeros), one after another
//   gzip-keys: the same, each export with the next of all the keys (an attacker with many keys: each bomb
//            still reaches the decoder until every key has paid for its bombs)
// Runs until SIGTERM, then prints what the attackers got as JSON.
import net from "node:net";
import { gzipSync } from "node:zlib";

const [url, keyList, mode, count] = process.argv.slice(2) as [string, string, string, string];
const keys = keyList.split(",");
const clients = Number(count);
const target = new URL(url);
let attacking = true;
const got = { requests: 0, statuses: {} as Record<string, number>, bytesRead: 0 };
const status = (s: string | number) => (got.statuses[s] = (got.statuses[s] ?? 0) + 1);

function neverReads(key: string): Promise<void> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ all: true });
    const socket = net.connect(Number(target.port), target.hostname, () => {
      socket.write(
        `POST /api/v1/prompts/resolve HTTP/1.1\r\nhost: ${target.host}\r\nauthorization: Bearer ${key}\r\n` +
          `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      got.requests++;
      // Reads the status line only, then stops reading for good.
      socket.once("data", (d: Buffer) => {
        got.bytesRead += d.byteLength;
        status(/^HTTP\/1\.1 (\d{3})/.exec(d.toString("latin1"))?.[1] ?? "?");
        socket.pause();
      });
    });
    socket.on("error", () => undefined);
    socket.on("close", () => resolve());
    // A paused socket never sees the server close it: the client's own timeout ends it.
    setTimeout(() => socket.destroy(), 1_000);
  });
}

async function reader(key: string) {
  while (attacking) await neverReads(key);
}

const bomb = gzipSync(Buffer.alloc(64 * 2 ** 20), { level: 9 });
let next = 0;
async function bomber(fixed: string | undefined) {
  while (attacking) {
    const key = fixed ?? keys[next++ % keys.length]!;
    const s = await fetch(`${url}/api/v1/otel/v1/traces`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${key}`,
        "content-type": "application/x-protobuf",
        "content-encoding": "gzip",
      },
      body: bomb,
    }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => "error",
    );
    got.requests++;
    status(s);
  }
}

const running = Array.from({ length: clients }, (_, i) => {
  const key = keys[i % keys.length]!;
  return mode === "readers" ? reader(key) : bomber(mode === "gzip" ? key : undefined);
});
console.log(`attacking (${mode} × ${clients}, ${mode === "gzip" ? `${bomb.byteLength} bytes each` : "never reading"})`);
process.once("SIGTERM", () => {
  attacking = false;
  void Promise.all(running).then(() => {
    console.log(JSON.stringify(got));
    process.exit(0);
  });
});
