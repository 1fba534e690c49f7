// The SDK in an edge runtime: bundled for the browser platform (no Node built-ins can slip in) and
// run inside Vercel's EdgeRuntime VM (no `process`, fetch streaming only). The VM comes from the
// copy Next.js ships; it is a test harness here, not something the SDK depends on.
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { eventually, goodKey, startFakeLectern, type FakeLectern } from "../test/fake-server";

type Runtime = { evaluate<T = unknown>(code: string): T };
const { EdgeRuntime } = createRequire(import.meta.url)("next/dist/compiled/edge-runtime") as {
  EdgeRuntime: new (o: { initialCode: string }) => Runtime;
};

let fake: FakeLectern;
beforeEach(async () => {
  fake = await startFakeLectern();
});
afterEach(async () => {
  await fake.close();
});

describe("edge runtime", () => {
  it("fetches, renders and takes push updates with fetch alone", async () => {
    const bundle = await build({
      entryPoints: [path.join(__dirname, "index.ts")],
      bundle: true,
      format: "iife",
      globalName: "Lectern",
      platform: "browser",
      write: false,
      logLevel: "silent",
    });
    const rt = new EdgeRuntime({ initialCode: bundle.outputFiles[0]!.text });
    expect(rt.evaluate("typeof process")).toBe("undefined");

    fake.serve({
      name: "p",
      version: 1,
      template: "Hi {{name}}",
      variables: [{ name: "name", type: "string", required: true }],
    });
    rt.evaluate(
      `globalThis.lectern = Lectern.createClient({ baseUrl: ${JSON.stringify(fake.url)}, apiKey: ${JSON.stringify(goodKey)}, onError: () => {} });`,
    );
    const first = await rt.evaluate<Promise<string>>(
      `lectern.getPrompt("p").then((p) => p.version + " " + p.render({ name: "Edge" }))`,
    );
    expect(first).toBe("1 Hi Edge");

    await eventually(() => fake.openStreams() === 1, 2_000, "the event stream");
    fake.serve({
      name: "p",
      version: 2,
      template: "Hello {{name}}",
      variables: [{ name: "name", type: "string", required: true }],
    });
    fake.emit({ name: "p", environment: "production", version: 2 }, 1);
    await eventually(
      async () =>
        (await rt.evaluate<Promise<string>>(`lectern.getPrompt("p").then((p) => p.render({ name: "Edge" }))`)) ===
        "Hello Edge",
      2_000,
      "version 2",
    );
    await rt.evaluate<Promise<void>>("lectern.close()");
  });
});
