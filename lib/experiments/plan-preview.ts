// The sample-size calculator of the experiment form: the same plan createExperiment stores
// (definition.ts plannedSample), computed in the browser as the fields change, with the reason in
// plain words when there is none. Imports only sample-size.ts, so the client bundle stays small.
import { sampleSizePerArm } from "../stats/sample-size";

export type PlanInput = {
  kind: "binary" | "continuous";
  arms: number;
  alpha: number;
  power: number;
  /** Relative: 0.1 = a 10% lift. */
  minDetectableEffect: number;
  /** Binary: the control's rate (default 50%, as the server plans); continuous: mean and sd. */
  baselineRate?: number | null;
  baselineMean?: number | null;
  baselineSd?: number | null;
  /** Share of subjects in the experiment (0–1]. */
  coverage?: number;
};

export type PlanPreview =
  | {
      ok: true;
      perArm: number;
      total: number;
      /** Subjects who must ask for the prompt, coverage included. */ traffic: number;
      assumedRate: boolean;
    }
  | { ok: false; message: string };

const finite = (x: number | null | undefined): x is number => typeof x === "number" && Number.isFinite(x);

export function previewPlan(p: PlanInput): PlanPreview {
  if (!(p.alpha > 0 && p.alpha < 1)) return { ok: false, message: "Set α between 0 and 1 (usually 0.05)." };
  if (!(p.power > 0 && p.power < 1)) return { ok: false, message: "Set the power between 0 and 1 (usually 0.8)." };
  if (!finite(p.minDetectableEffect) || p.minDetectableEffect === 0)
    return { ok: false, message: "Set the smallest lift worth detecting (e.g. 10%)." };
  if (p.arms < 2) return { ok: false, message: "Add a control and at least one variant." };
  let perArm: number;
  let assumedRate = false;
  try {
    if (p.kind === "binary") {
      assumedRate = !finite(p.baselineRate);
      perArm = sampleSizePerArm({
        kind: "binary",
        baselineRate: finite(p.baselineRate) ? p.baselineRate : 0.5,
        minDetectableEffect: p.minDetectableEffect,
        alpha: p.alpha,
        power: p.power,
      });
    } else {
      if (!finite(p.baselineMean) || !finite(p.baselineSd))
        return {
          ok: false,
          message: "A continuous metric needs the control's current mean and standard deviation to plan the sample.",
        };
      perArm = sampleSizePerArm({
        kind: "continuous",
        baselineMean: p.baselineMean,
        baselineSd: p.baselineSd,
        minDetectableEffect: p.minDetectableEffect,
        alpha: p.alpha,
        power: p.power,
      });
    }
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, message: plain(e.message) };
    throw e;
  }
  const total = perArm * p.arms;
  const coverage = finite(p.coverage) && p.coverage > 0 ? Math.min(1, p.coverage) : 1;
  return { ok: true, perArm, total, traffic: Math.ceil(total / coverage), assumedRate };
}

function plain(message: string): string {
  if (message.startsWith("baselineRate")) return "The baseline rate must be between 0% and 100%.";
  if (message.startsWith("minDetectableEffect takes the rate"))
    return "That lift would take the rate past 0% or 100%: choose a smaller lift or check the baseline.";
  if (message.startsWith("baselineMean")) return "The baseline mean must be a non-zero number.";
  if (message.startsWith("baselineSd")) return "The baseline standard deviation must be greater than 0.";
  return `${message[0]!.toUpperCase()}${message.slice(1)}.`;
}
