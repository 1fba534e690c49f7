import { describe, expect, it } from "vitest";
import { fnv1a32 } from "./hash";
import { generators, toSeed } from "./random";

describe("seeded generators", () => {
  it.each([
    [42, 42],
    [0xffffffff, 0xffffffff],
    ["exp-1", fnv1a32("exp-1")],
    [0, fnv1a32("0")],
    [1.5, fnv1a32("1.5")],
  ])("toSeed(%j) = %i", (seed, expected) => {
    expect(toSeed(seed)).toBe(expected);
  });

  it("replays the same stream for a seed, another for another seed", () => {
    const draw = (seed: number) => {
      const g = generators(seed);
      return [g.uniform(), g.beta(2, 5), g.normal(0, 1), g.uniform()];
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  // numpy.random.RandomState(42).random_sample(2) = [0.3745401188473625, 0.9507143064099162]: the same
  // MT19937 stream. stdlib's normal generator takes one draw when it is built, so ours starts at the second.
  it("uses MT19937 (numpy's RandomState(42) stream)", () => {
    expect(generators(42).uniform()).toBe(0.9507143064099162);
  });

  it("returns μ for σ = 0", () => {
    expect(generators(1).normal(5, 0)).toBe(5);
  });
});
