"use client";

// An environment's gate numbers: how a version is compared with the live one (a fixed minimum and
// maximum drop, a paired comparison, or both) and the auto-promote score.
import type { EnvRules, EvaluationGate } from "./environments-panel";

const score = (v: string) => (v === "" ? 0 : Number(v));

/** A score from 0 to 1, typed after its label. */
function ScoreInput({
  id,
  label,
  value,
  placeholder,
  onValue,
}: {
  id: string;
  label: string;
  value: number | "";
  placeholder?: string;
  onValue: (value: string) => void;
}) {
  return (
    <label className="flex items-center gap-2" htmlFor={id}>
      {label}
      <input
        id={id}
        type="number"
        min={0}
        max={1}
        step={0.01}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        className="w-20 rounded-md border border-slate-300 px-2 py-1"
      />
    </label>
  );
}

export function GateRuleInputs({
  id,
  rules,
  setRules,
}: {
  id: string;
  rules: EnvRules;
  setRules: (rules: EnvRules) => void;
}) {
  const gate = rules.evaluationGate;
  if (!gate) return null;
  const setGate = (patch: Partial<EvaluationGate>) => setRules({ ...rules, evaluationGate: { ...gate, ...patch } });
  return (
    <>
      <label className="flex items-center gap-2" htmlFor={`${id}-mode`}>
        Compare with live
        <select
          id={`${id}-mode`}
          value={gate.mode}
          onChange={(e) => setGate({ mode: e.target.value as EvaluationGate["mode"] })}
          className="min-w-0 max-w-full rounded-md border border-slate-300 px-2 py-1"
        >
          <option value="threshold">fixed threshold</option>
          <option value="paired">paired: no worse</option>
          <option value="both">both</option>
        </select>
      </label>
      <ScoreInput
        id={`${id}-min`}
        label="Minimum score"
        value={gate.minScore}
        onValue={(v) => setGate({ minScore: score(v) })}
      />
      {gate.mode === "paired" ? null : (
        <ScoreInput
          id={`${id}-drop`}
          label="Maximum drop from live"
          value={gate.maxDrop}
          onValue={(v) => setGate({ maxDrop: score(v) })}
        />
      )}
      <ScoreInput
        id={`${id}-auto`}
        label="Auto-promote at score"
        placeholder="(off)"
        value={rules.autoPromote?.minScore ?? ""}
        onValue={(v) => setRules({ ...rules, autoPromote: v === "" ? null : { minScore: score(v) } })}
      />
    </>
  );
}
