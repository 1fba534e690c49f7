// The queue in front of the OTLP decoder's worker thread, with a worker that holds every export until released
// (test/fixtures/held-decoder.mjs: it answers once none arrived for 200 ms): past LECTERN_OTLP_DECODE_QUEUE exports are refused with 503, a key past its
// quarter with 429, before anything is sent to the worker; answered exports free their places.
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeOtlpOffThread, otlpDecodeQueue, setOtlpDecodeWorker } from "./otlp-decode-thread";

afterAll(() => setOtlpDecodeWorker(null));

const send = (key: string) =>
  decodeOtlpOffThread(new Uint8Array([1, 2, 3]), {
    format: "protobuf",
    encoding: "identity",
    maxBytes: 1024,
    prices: {},
    key,
    queueLimit: 8,
  });

describe("the OTLP decoder's queue", () => {
  it("holds at most the limit, a key at most a quarter of it, and frees places as exports are answered", async () => {
    setOtlpDecodeWorker(path.join(__dirname, "../../test/fixtures/held-decoder.mjs"));
    const a = [send("a"), send("a")];
    await expect(send("a")).rejects.toMatchObject({ code: "rate_limited", details: { limit: 2 } });
    const others = ["b", "b", "c", "c", "d", "d"].map(send);
    expect(otlpDecodeQueue()).toBe(8);
    await expect(send("e")).rejects.toMatchObject({
      code: "unavailable",
      message: expect.stringContaining("LECTERN_OTLP_DECODE_QUEUE"),
    });
    const answered = await Promise.all([...a, ...others]);
    expect(answered.every((d) => d.bytes === 3)).toBe(true);
    expect(otlpDecodeQueue()).toBe(0);
    expect(otlpDecodeQueue("a")).toBe(0);
    // Answered exports gave their places back.
    expect((await Promise.all([send("a"), send("a")])).map((d) => d.bytes)).toEqual([3, 3]);
  });
});
