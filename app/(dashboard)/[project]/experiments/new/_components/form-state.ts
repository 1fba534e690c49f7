// The experiment form's state (strings, as typed) and the definition it sends (numbers, as the API
// takes them). Percentages on screen, shares in the payload. The server validates; this only maps.
import type { PromptChoices } from "@/lib/views/prompt-choices";

export type MetricOption = { name: string; kind: "binary" | "continuous"; goal: "increase" | "decrease" };
export type RatioRow = { name: string; numerator: string; denominator: string; goal: "increase" | "decrease" };
export type VariantRow = { key: string; version: number; weight: string };
export type FormState = {
  prompt: string;
  environment: string;
  name: string;
  hypothesis: string;
  variants: VariantRow[];
  /** Weights split equally until someone types one: then they are sent as typed. */
  equalWeights: boolean;
  coverage: string;
  /** Namespace name ("" = none) and the share of it, in percent as typed. */
  namespace: string;
  namespaceStart: string;
  namespaceEnd: string;
  mode: "fixed" | "sequential" | "bandit";
  algorithm: "thompson" | "ucb1";
  floor: string;
  burnIn: string;
  primary: string;
  customName: string;
  customKind: "binary" | "continuous";
  guardrails: string[];
  /** Ratio metrics as typed: name, numerator and denominator metric names, and which way is better. */
  ratios: RatioRow[];
  alpha: string;
  power: string;
  mde: string;
  baselineRate: string;
  baselineMean: string;
  baselineSd: string;
  /** CUPED: days of each subject's history before exposure used as its covariate. */
  lookbackDays: string;
};

export const CUSTOM = "__custom";

/** At its field a message needs no "variants: " in front (the API names the field for API callers). */
export const atField = (message: string, field: string) => {
  const m =
    message.slice(0, field.length + 1).toLowerCase() === `${field.toLowerCase()}:`
      ? message.slice(field.length + 1).trim()
      : message;
  return m ? m[0]!.toUpperCase() + m.slice(1) : message;
};

/** The definition's fields the form shows errors at; an error at any other field shows above the buttons. */
export const formFields = [
  "prompt",
  "environment",
  "name",
  "hypothesis",
  "variants",
  "coverage",
  "namespace",
  "mode",
  "bandit",
  "primaryMetric",
  "guardrails",
  "ratioMetrics",
  "alpha",
  "power",
  "minDetectableEffect",
  "baseline",
  "cupedLookbackDays",
];
const keys = ["control", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
export const equalShare = (k: number) => String(Math.round(10000 / k) / 100);

/** Control = the environment's live version (else the newest); the variant = the newest other version. */
export function defaultVariants(choices: PromptChoices, environment: string): VariantRow[] {
  const newest = choices.versions[0]?.version ?? 1;
  const control = choices.live[environment] ?? newest;
  const other = choices.versions.find((v) => v.version !== control)?.version ?? control;
  return [
    { key: "control", version: control, weight: "50" },
    { key: "b", version: other, weight: "50" },
  ];
}

export function nextKey(rows: VariantRow[]): string {
  return keys.find((k) => !rows.some((r) => r.key === k)) ?? `v${rows.length + 1}`;
}

export function initialState(choices: PromptChoices, environment: string, metrics: MetricOption[]): FormState {
  return {
    prompt: choices.prompt,
    environment,
    name: "",
    hypothesis: "",
    variants: defaultVariants(choices, environment),
    equalWeights: true,
    coverage: "100",
    namespace: "",
    namespaceStart: "",
    namespaceEnd: "",
    mode: "sequential",
    algorithm: "thompson",
    floor: "5",
    burnIn: "100",
    primary: "thumbs",
    customName: "",
    customKind: "binary",
    guardrails: ["latency_ms", "cost_usd", "refusal"].filter((g) => metrics.some((m) => m.name === g)),
    ratios: [],
    alpha: "0.05",
    power: "80",
    mde: "10",
    baselineRate: "",
    baselineMean: "",
    baselineSd: "",
    lookbackDays: "14",
  };
}

/** "" → undefined (the server's default); anything else → a number (NaN is refused by the server, at its field). */
const num = (s: string, scale = 1) => (s.trim() === "" ? undefined : Number(s) / scale);

export function primaryOf(s: FormState, metrics: MetricOption[]): { name: string; kind: "binary" | "continuous" } {
  if (s.primary === CUSTOM) return { name: s.customName.trim(), kind: s.customKind };
  const m = metrics.find((x) => x.name === s.primary);
  return { name: s.primary, kind: m?.kind ?? "binary" };
}

export function weightsOf(s: FormState): number[] {
  if (s.equalWeights) return s.variants.map(() => 1 / s.variants.length);
  const typed = s.variants.map((v) => Number(v.weight));
  const total = typed.reduce((a, b) => a + b, 0);
  // Rounded percentages that add up to 100 are sent as exact shares; anything else as typed (the server says what is wrong).
  return Math.abs(total - 100) < 0.05 ? typed.map((w) => w / total) : typed.map((w) => w / 100);
}

export function payloadOf(s: FormState, metrics: MetricOption[]) {
  const primary = primaryOf(s, metrics);
  const weights = weightsOf(s);
  const baseline =
    primary.kind === "binary"
      ? s.baselineRate.trim()
        ? { rate: Number(s.baselineRate) / 100 }
        : undefined
      : s.baselineMean.trim() || s.baselineSd.trim()
        ? { mean: Number(s.baselineMean), sd: Number(s.baselineSd) }
        : undefined;
  return {
    prompt: s.prompt,
    environment: s.environment,
    name: s.name,
    hypothesis: s.hypothesis,
    variants: s.variants.map((v, i) => ({ key: v.key, version: v.version, weight: weights[i]! })),
    coverage: num(s.coverage, 100),
    ...(s.namespace.trim()
      ? {
          namespace: {
            name: s.namespace.trim(),
            range: [num(s.namespaceStart, 100) ?? null, num(s.namespaceEnd, 100) ?? null],
          },
        }
      : {}),
    mode: s.mode,
    ...(s.mode === "bandit"
      ? { bandit: { algorithm: s.algorithm, floor: num(s.floor, 100), burnIn: num(s.burnIn) } }
      : {}),
    primaryMetric: primary,
    guardrails: s.guardrails
      .filter((g) => g !== primary.name)
      .flatMap((g) => {
        const m = metrics.find((x) => x.name === g);
        return m
          ? [
              {
                name: g,
                kind: m.kind,
                direction: m.goal === "decrease" ? ("increase_is_bad" as const) : ("decrease_is_bad" as const),
              },
            ]
          : [];
      }),
    ratioMetrics: s.ratios.map((r) => ({
      name: r.name.trim(),
      numerator: r.numerator.trim(),
      denominator: r.denominator.trim(),
      goal: r.goal,
    })),
    alpha: num(s.alpha),
    power: num(s.power, 100),
    minDetectableEffect: num(s.mde, 100),
    cupedLookbackDays: num(s.lookbackDays),
    ...(baseline ? { baseline } : {}),
  };
}

/** What each section of the form gets: the state, a patch to apply, whether it is read-only, a field's error. */
export type SectionProps = {
  s: FormState;
  set: (p: Partial<FormState>) => void;
  readOnly: boolean;
  /** The error of the field named `prefix` (or of one inside it), if any. */
  error: (prefix: string) => string | undefined;
};

/** The fields of the form that hold text as typed. */
export type TextField = { [K in keyof FormState]: string extends FormState[K] ? K : never }[keyof FormState];

/** Binds an input to a text field of the form: `<Input {...field("alpha")} />` shows it, and typing sets it. */
export function fieldBinder({ s, set, readOnly }: Pick<SectionProps, "s" | "set" | "readOnly">) {
  const field = (key: TextField) => ({
    value: s[key],
    readOnly,
    onValue: (v: string) => set({ [key]: v }),
  });
  /** The same for a number input: `{...field.number("alpha", { min: 0, max: 1 })}`, any step unless one is given. */
  field.number = (key: TextField, range: { min?: number; max?: number; step?: number } = {}) => ({
    type: "number",
    step: "any" as number | "any",
    ...range,
    ...field(key),
  });
  /** A select's props: it shows `value` and calls `onValue`, and is disabled (a select has no read-only) while the form is read-only. */
  field.choice = (value: string, onValue: (v: string) => void) => ({ value, disabled: readOnly, onValue });
  return field;
}
