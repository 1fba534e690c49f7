import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { acquireStreamSlot, openStreamCount } from "./event-stream";

describe("event stream slots per API key", () => {
  it("refuses the stream beyond the limit with rate_limited naming the limit, and frees a slot once", () => {
    const a = acquireStreamSlot("key-a", 2);
    const b = acquireStreamSlot("key-a", 2);
    expect(openStreamCount("key-a")).toBe(2);
    let err: unknown;
    try {
      acquireStreamSlot("key-a", 2);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("rate_limited");
    expect((err as AppError).details).toEqual({ limit: 2, open: 2 });
    expect((err as AppError).message).toContain("2 open event streams");
    // Another key is not affected.
    acquireStreamSlot("key-b", 2)();
    a();
    a(); // releasing twice frees one slot, not two
    expect(openStreamCount("key-a")).toBe(1);
    acquireStreamSlot("key-a", 2);
    b();
    expect(openStreamCount("key-a")).toBe(1);
  });
});
