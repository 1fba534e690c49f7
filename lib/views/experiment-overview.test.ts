import { describe, expect, it } from "vitest";
import { refreshEveryMs } from "./experiment-overview";

describe("refreshEveryMs", () => {
  it("re-reads every 10 s while a read is cheap", () => {
    expect(refreshEveryMs(0)).toBe(10_000);
    expect(refreshEveryMs(40)).toBe(10_000);
    expect(refreshEveryMs(1_000)).toBe(10_000);
  });

  it("keeps an open tab to a tenth of a core when reads are costly, in 10 s steps", () => {
    expect(refreshEveryMs(1_001)).toBe(20_000);
    expect(refreshEveryMs(2_500)).toBe(30_000);
    expect(refreshEveryMs(6_000)).toBe(60_000);
  });

  it("never re-reads less often than every 5 minutes", () => {
    expect(refreshEveryMs(45_000)).toBe(300_000);
    expect(refreshEveryMs(Number.POSITIVE_INFINITY)).toBe(300_000);
  });
});
