"use client";

// An environment's gate numbers: how a version is compared with the live one (a fixed minimum and
// maximum drop, a paired comparison, or both) and the auto-promote score.
import type { EnvRules, EvaluationGate } from "./environments-panel";

const score = (v: string) => (v === "" ? 0 : Number(v));

export function GateRuleInputs({
  id,
  rules,
  setRules,
}: {
  id: string;
  rules: EnvRules;
  setRules: (rules: EnvRules) => void;
}) {
  if (!rules.evaluationGate) return null;
  return (
    <>
      <label className="flex items-center gap-2" htmlFor={`${id}-mode`}>
        Compare with live
        <select
          id={`${id}-mode`}
          value={rules.evaluationGate.mode}
          onChange={(e) =>
            setRules({
              ...rules,
              evaluationGate: { ...rules.evaluationGate!, mode: e.target.value as EvaluationGate["mode"] },
            })
          }
          className="min-w-0 max-w-full rounded-md border border-slate-300 px-2 py-1"
        >
          <option value="threshold">fixed threshold</option>
          <option value="paired">paired: no worse</option>
          <option value="both">both</option>
        </select>
      </label>
      <label className="flex items-center gap-2" htmlFor={`${id}-min`}>
        Minimum score
        <input
          id={`${id}-min`}
          type="number"
          min={0}
          max={1}
          step={0.01}
          value={rules.evaluationGate.minScore}
          onChange={(e) =>
            setRules({ ...rules, evaluationGate: { ...rules.evaluationGate!, minScore: score(e.target.value) } })
          }
          className="w-20 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
      {rules.evaluationGate.mode === "paired" ? null : (
        <label className="flex items-center gap-2" htmlFor={`${id}-drop`}>
          Maximum drop from live
          <input
            id={`${id}-drop`}
            type="number"
            min={0}
            max={1}
            step={0.01}
            value={rules.evaluationGate.maxDrop}
            onChange={(e) =>
              setRules({ ...rules, evaluationGate: { ...rules.evaluationGate!, maxDrop: score(e.target.value) } })
            }
            className="w-20 rounded-md border border-slate-300 px-2 py-1"
          />
        </label>
      )}
      <label className="flex items-center gap-2" htmlFor={`${id}-auto`}>
        Auto-promote at score
        <input
          id={`${id}-auto`}
          type="number"
          min={0}
          max={1}
          step={0.01}
          placeholder="(off)"
          value={rules.autoPromote?.minScore ?? ""}
          onChange={(e) =>
            setRules({
              ...rules,
              autoPromote: e.target.value === "" ? null : { minScore: score(e.target.value) },
            })
          }
          className="w-20 rounded-md border border-slate-300 px-2 py-1"
        />
      </label>
    </>
  );
}
