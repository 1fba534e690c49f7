// Seeded random streams for Monte Carlo and simulations. Product code never uses Math.random: the same
// inputs and seed must give the same weights on every instance and in every test run.
import beta from "@stdlib/random-base-beta";
import normal from "@stdlib/random-base-normal";
import { fnv1a32 } from "./hash";

/** A seed: an integer in [1, 2³² − 1] is used as is; anything else (a string, 0, a float) is hashed to one. */
export type Seed = number | string;

/** The Mersenne Twister seed for `seed` (see Seed). */
export function toSeed(seed: Seed): number {
  if (typeof seed === "number" && Number.isInteger(seed) && seed >= 1 && seed <= 0xffffffff) return seed;
  return fnv1a32(String(seed)) || 1; // MT19937 in stdlib refuses 0
}

/** Uniform [0, 1), Beta(α, β) and Normal(μ, σ) draws sharing one MT19937 stream. */
export interface Generators {
  uniform: () => number;
  beta: (alpha: number, beta: number) => number;
  /** σ = 0 returns μ (stdlib gives NaN there). */
  normal: (mu: number, sigma: number) => number;
}

/** Generators seeded from `seed`; two calls with the same seed give the same sequence of draws. */
export function generators(seed: Seed): Generators {
  const betaDraw = beta.factory({ seed: toSeed(seed) });
  // The underlying MT19937 exposes its [0, 1) form as `.normalized` at runtime; stdlib's typings omit it.
  const uniform = (betaDraw.PRNG as unknown as { normalized?: () => number }).normalized;
  if (typeof uniform !== "function") throw new Error("@stdlib/random-base-beta: PRNG.normalized is missing");
  const normalDraw = normal.factory({ prng: uniform });
  return {
    uniform: () => uniform(),
    beta: (a, b) => betaDraw(a, b),
    normal: (mu, sigma) => (sigma > 0 ? normalDraw(mu, sigma) : mu),
  };
}
