"use client";

import { Input } from "@/components/ui/input";
import { fieldBinder, type FormState } from "./form-state";

/** CUPED's look-back: the days of each user's history before exposure that narrow the interval. */
export function LookbackField({
  s,
  set,
  readOnly,
  error,
}: {
  s: FormState;
  set: (p: Partial<FormState>) => void;
  readOnly: boolean;
  error: (prefix: string) => string | undefined;
}) {
  const field = fieldBinder({ s, set, readOnly });
  return (
    <Input
      label="CUPED look-back (days)"
      id="experiment-lookback"
      {...field.number("lookbackDays", { min: 1, max: 90, step: 1 })}
      error={error("cupedLookbackDays")}
      hint="Each user's history this long before exposure narrows the interval (1–90)."
    />
  );
}
