import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { normalizeGateScorers, sameScorers } from "./gate";

const judge = (mode: "single" | "pairwise") => ({
  type: "llm_judge",
  name: "kind",
  model: "gpt-test",
  rubric: "Is the answer kind?",
  mode,
});

describe("a gate's scorers", () => {
  it("takes a single judge and normalises it as runs store it", () => {
    const [spec] = normalizeGateScorers([judge("single")]) as { name: string }[];
    expect(spec!.name).toBe("kind");
    expect(sameScorers(normalizeGateScorers([judge("single")]), normalizeGateScorers([judge("single")]))).toBe(true);
  });

  it("refuses a pairwise judge, naming it and pointing to the paired mode", () => {
    let err: unknown;
    try {
      normalizeGateScorers([{ type: "length", max: 500 }, judge("pairwise")]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("invalid_input");
    expect((err as AppError).details).toMatchObject({ field: "evaluationGate.scorers[1]" });
    expect((err as AppError).message).toMatch(/pairwise judge.*mode "paired"/);
  });
});
