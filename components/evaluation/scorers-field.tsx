"use client";

import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";

/** Appends a preset scorer to the JSON list; null when the current text is not valid JSON. */
export function withPreset(scorers: string, preset: unknown): string | null {
  try {
    const list = scorers.trim() ? (JSON.parse(scorers) as unknown) : [];
    return JSON.stringify([...(Array.isArray(list) ? list : []), preset], null, 2);
  } catch {
    return null;
  }
}

/**
 * Scorer specs as a JSON list (the same specs offline and online), with buttons that append a preset.
 * `onInvalid` is called when a preset cannot be added because the JSON does not parse.
 */
export function ScorersField({
  id,
  label,
  hint,
  value,
  onChange,
  error,
  presets,
  minRows = 5,
  maxRows = 16,
  onInvalid,
}: {
  id: string;
  label: string;
  hint: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  presets: Record<string, unknown>;
  minRows?: number;
  maxRows?: number;
  onInvalid: () => void;
}) {
  const add = (label: string) => {
    const next = withPreset(value, presets[label]);
    if (next === null) onInvalid();
    else onChange(next);
  };
  return (
    <div>
      <Textarea
        label={label}
        id={id}
        rows={Math.min(maxRows, Math.max(minRows, value.split("\n").length + 1))}
        className="font-mono text-xs"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        hint={hint}
      />
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <span className="text-xs text-slate-600">Add:</span>
        {Object.keys(presets).map((label) => (
          <Button key={label} type="button" size="sm" variant="secondary" onClick={() => add(label)}>
            {label}
          </Button>
        ))}
      </div>
    </div>
  );
}
