"use client";

import { Input } from "@/components/ui/input";
import { fieldBinder, type SectionProps, type TextField } from "./form-state";

/** One number input of the form: its label, id, field, range, the error it shows and its hint. */
export type NumberInputSpec = {
  label: string;
  id: string;
  key: TextField;
  range?: { min?: number; max?: number; step?: number };
  error: string;
  hint?: string;
};

/** The form's number inputs from a table of them, in its order. */
export function NumberInputs({ specs, s, set, readOnly, error }: SectionProps & { specs: NumberInputSpec[] }) {
  const field = fieldBinder({ s, set, readOnly });
  return specs.map((n) => (
    <Input
      key={n.id}
      label={n.label}
      id={n.id}
      {...field.number(n.key, n.range)}
      error={error(n.error)}
      hint={n.hint}
    />
  ));
}
