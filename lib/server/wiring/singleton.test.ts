import { describe, expect, it } from "vitest";
import { processSingleton, processStart } from "./singleton";

describe("processSingleton", () => {
  it("makes the value once and shares it through globalThis", () => {
    let made = 0;
    const a = processSingleton("test.counter", () => ({ n: ++made }));
    const b = processSingleton("test.counter", () => ({ n: ++made }));
    expect(a).toBe(b);
    expect(made).toBe(1);
    expect((globalThis as unknown as Record<symbol, unknown>)[Symbol.for("lectern.test.counter")]).toBe(a);
  });

  it("keeps a falsy value without making it again", () => {
    let made = 0;
    expect(processSingleton("test.zero", () => (made++, 0))).toBe(0);
    expect(processSingleton("test.zero", () => (made++, 1))).toBe(0);
    expect(made).toBe(1);
  });
});

describe("processStart", () => {
  it("shares one start between concurrent callers", async () => {
    let starts = 0;
    const start = async () => ++starts;
    const [a, b] = await Promise.all([processStart("test.start", start), processStart("test.start", start)]);
    expect([a, b, starts]).toEqual([1, 1, 1]);
  });

  it("forgets a failed start, so the next call tries again", async () => {
    let attempt = 0;
    const start = async () => {
      if (++attempt === 1) throw new Error("database not up yet");
      return "open";
    };
    await expect(processStart("test.retry", start)).rejects.toThrow("database not up yet");
    await expect(processStart("test.retry", start)).resolves.toBe("open");
    await expect(processStart("test.retry", start)).resolves.toBe("open");
    expect(attempt).toBe(2);
  });
});
