// The attackers of bench/run-attack.ts, in a process of their own (as they would be on another machine): their
// CPU is not the load generator's event loop. `node --import tsx bench/attackers.ts <url> <runtime key>` sends
// OTLP exports at the element limit back to back (one client) and batch resolves of every prompt (two clients)
// until it gets SIGTERM, then prints what they got as JSON.
import { costliestExport } from "../test/otlp-exports";

const [url, key] = process.argv.slice(2) as [string, string];
const body = costliestExport();
const got = { otlp: 0, otlpStatuses: new Set<number>(), batch: 0, batchStatuses: new Set<number>() };
let attacking = true;

const otlp = (async () => {
  while (attacking) {
    // A key past its bytes is refused before its body is read: the server closes on the rest (counted as 429).
    const status = await fetch(`${url}/api/v1/otel/v1/traces`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/x-protobuf" },
      body,
    }).then(
      async (r) => (await r.arrayBuffer(), r.status),
      () => 429,
    );
    got.otlp++;
    got.otlpStatuses.add(status);
  }
})();
const batch = Array.from({ length: 2 }, async () => {
  while (attacking) {
    const r = await fetch(`${url}/api/v1/prompts/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ all: true }),
    });
    await r.arrayBuffer();
    got.batch++;
    got.batchStatuses.add(r.status);
  }
});
console.log("attacking");
process.once("SIGTERM", () => {
  attacking = false;
  void Promise.all([otlp, ...batch]).then(() => {
    console.log(JSON.stringify({ ...got, otlpStatuses: [...got.otlpStatuses], batchStatuses: [...got.batchStatuses] }));
    process.exit(0);
  });
});
