import type { InputHTMLAttributes, ReactNode } from "react";
import { Field, fieldBorder } from "./field";

export type InputProps = InputHTMLAttributes<HTMLInputElement> & {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Called with the new text on every change: `onValue={setName}` instead of an onChange that unpacks the event. */
  onValue?: (value: string) => void;
};

/** A labelled input; the error, when present, is announced and linked to the field. */
export function Input({ label, error, hint, id, className = "", onValue, onChange, ...props }: InputProps) {
  return (
    <Field id={id ?? props.name} label={label} hint={hint} error={error}>
      {(a11y) => (
        <input
          {...a11y}
          className={`rounded-md border px-3 py-2 text-sm shadow-sm ${fieldBorder(error)} focus:border-brand-600 ${className}`}
          onChange={onValue ? (e) => onValue(e.target.value) : onChange}
          {...props}
        />
      )}
    </Field>
  );
}
