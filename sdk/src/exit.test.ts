// What a Node process that used track() sends as it ends, run as a real child process against a real HTTP
// server on this machine (sdk/test/exit-track-child.ts): ending by itself sends everything queued,
// process.exit() after close() too, process.exit() alone reports what it lost, and an unreachable server
// neither holds the process nor loses events without a word.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closedPort } from "../test/fake-server";
import { runChild } from "../test/run-child";

let server: Server | undefined;
afterEach(() => server?.close());

async function lectern() {
  const subjects: string[] = [];
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (d: Buffer) => (text += d));
    req.on("end", () => {
      for (const e of (JSON.parse(text) as { events: { subject: string }[] }).events) subjects.push(e.subject);
      res.writeHead(202, { "content-type": "application/json" }).end('{"accepted":1}');
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, subjects };
}

/** Runs the child to its end (a hang fails the test: it is killed after 20 s and reports code null). */
const child = (url: string, mode: string, count = 5) =>
  runChild("exit-track-child.ts", [url, "lk_rt_test", mode, "-", String(count)], 20_000);

describe("events queued when a Node process ends", () => {
  it("a process that ends by itself sends every queued event first", async () => {
    const l = await lectern();
    const r = await child(l.url, "natural", 5);
    expect(r.code, r.out).toBe(0);
    expect(l.subjects.sort()).toEqual(["s-0", "s-1", "s-2", "s-3", "s-4"]);
    expect(r.out).not.toContain("not sent");
  }, 30_000);

  it("close() before process.exit() sends them", async () => {
    const l = await lectern();
    const r = await child(l.url, "close-exit", 250); // more than one batch of 100
    expect(r.code, r.out).toBe(0);
    expect(new Set(l.subjects).size).toBe(250);
  }, 30_000);

  it("process.exit() without close() loses them, and says so", async () => {
    const l = await lectern();
    const r = await child(l.url, "exit", 5);
    expect(r.code, r.out).toBe(0);
    expect(l.subjects).toEqual([]);
    expect(r.out).toContain("5 event(s) were not sent: the process exited first");
    expect(r.out).toContain("await lectern.close()");
  }, 30_000);

  it("an unreachable server does not hold the process, and the loss is reported", async () => {
    const r = await child(await closedPort(), "natural", 3);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain("3 event(s) were not sent before the process ended");
  }, 30_000);
});
