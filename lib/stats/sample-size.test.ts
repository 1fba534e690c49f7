import { describe, expect, it } from "vitest";
import { sampleSizePerArm, type SampleSizeInput } from "./sample-size";

describe("sampleSizePerArm", () => {
  // Reference: n = (norm.ppf(1 − α/2) + norm.ppf(power))²·(σ_A² + σ_B²)/Δ² worked with scipy 1.17.1,
  // unrounded value in the comment, then ceil.
  it.each([
    [{ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0.1 }, 14749], // 14748.045
    [{ kind: "binary", baselineRate: 0.2, minDetectableEffect: 0.05 }, 25580], // 25579.499
    [{ kind: "binary", baselineRate: 0.5, minDetectableEffect: -0.1, power: 0.9 }, 2091], // 2090.977
    [{ kind: "binary", baselineRate: 0.03, minDetectableEffect: 0.2, alpha: 0.01 }, 20700], // 20699.025
    [{ kind: "continuous", baselineMean: 300, baselineSd: 80, minDetectableEffect: 0.05 }, 447], // 446.514
    [{ kind: "continuous", baselineMean: 4.1, baselineSd: 1.2, minDetectableEffect: 0.03, power: 0.9 }, 2001], // 2000.223
  ] as [SampleSizeInput, number][])("%j → %i per arm", (input, expected) => {
    expect(sampleSizePerArm(input)).toBe(expected);
  });

  it.each([
    [{ kind: "binary", baselineRate: 0, minDetectableEffect: 0.1 }, /baselineRate/],
    [{ kind: "binary", baselineRate: 0.6, minDetectableEffect: 1 }, /outside/],
    [{ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0 }, /minDetectableEffect/],
    [{ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0.1, alpha: 1 }, /alpha/],
    [{ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0.1, power: 0 }, /power/],
    [{ kind: "continuous", baselineMean: 0, baselineSd: 1, minDetectableEffect: 0.1 }, /baselineMean/],
    [{ kind: "continuous", baselineMean: 10, baselineSd: 0, minDetectableEffect: 0.1 }, /baselineSd/],
  ] as [SampleSizeInput, RegExp][])("refuses %j", (input, message) => {
    expect(() => sampleSizePerArm(input)).toThrow(message);
  });

  it("needs more subjects for a smaller effect", () => {
    const big = sampleSizePerArm({ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0.2 });
    const small = sampleSizePerArm({ kind: "binary", baselineRate: 0.1, minDetectableEffect: 0.1 });
    expect(small).toBeGreaterThan(3 * big);
  });
});
