// getPrompt without an await (peekPezzoPrompt) answers an L1 hit with the awaited read's answer, the same
// object each time, refuses what the awaited read refuses in the same words, and leaves to it what needs I/O.
import { describe, expect, it } from "vitest";
import type { Db } from "../../../db/client";
import { resolvedReply } from "../../../test/resolved-prompt";
import type { ResolvedPrompt } from "../../runtime/load";
import type { ResolveDeps } from "../../runtime/resolve";
import { getPezzoPrompt, peekPezzoPrompt } from "./deployment";

const r = resolvedReply({
  template: "Hi {{name}}",
  variables: [{ name: "name", type: "string", required: true }],
});
const cache = (hit: ResolvedPrompt | undefined) =>
  ({ peek: () => hit, get: async () => ({ value: r, layer: "l1" }) }) as unknown as ResolveDeps["cache"];
const caller = (environments: string[] | null = null, projectHeader: string | null = "p-1") => ({
  project: { id: "p-1", slug: "acme" },
  environments,
  projectHeader,
});
const q = { name: "support/reply", environmentName: "Production" };
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return "answered";
};

describe("peekPezzoPrompt", () => {
  it("answers an L1 hit with the awaited read's answer, the same object each time", async () => {
    const slow = await getPezzoPrompt({ db: {} as Db, cache: cache(r) }, caller(), q);
    expect(peekPezzoPrompt(cache(r), caller(), q)).toBe(slow);
    expect(peekPezzoPrompt(cache(r), caller(null, null), q)).toBe(slow);
  });

  it("leaves a miss and a limited key's check to the awaited read", () => {
    expect(peekPezzoPrompt(cache(undefined), caller(), q)).toBeUndefined();
    expect(peekPezzoPrompt(cache(r), caller(["production"]), q)).toBeUndefined();
  });

  it("refuses what the awaited read refuses, in its words", async () => {
    const cases: [ReturnType<typeof caller>, typeof q][] = [
      [caller(null, "other-project"), q],
      [caller(), { name: "support/reply", environmentName: "" }],
      [caller(), { name: "a//b", environmentName: "production" }],
    ];
    for (const [who, query] of cases) {
      const slow = await getPezzoPrompt({ db: {} as Db, cache: cache(r) }, who, query).then(
        () => "answered",
        (e: Error) => e.message,
      );
      expect(slow).not.toBe("answered");
      expect(refusal(() => peekPezzoPrompt(cache(r), who, query))).toBe(slow);
    }
  });
});
