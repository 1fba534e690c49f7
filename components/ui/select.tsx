import type { ReactNode, SelectHTMLAttributes } from "react";
import { Field, fieldBorder } from "./field";

export type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & {
  label: ReactNode;
  /** Visually hide the label (it stays available to screen readers). */
  hideLabel?: boolean;
  error?: string;
  hint?: ReactNode;
};

export function Select({ label, hideLabel, error, hint, id, className = "", children, ...props }: SelectProps) {
  return (
    <Field id={id ?? props.name} label={label} hideLabel={hideLabel} hint={hint} error={error}>
      {(a11y) => (
        <select
          {...a11y}
          className={`max-w-full rounded-md border bg-white px-2.5 py-2 text-sm shadow-sm ${fieldBorder(error)} focus:border-brand-600 ${className}`}
          {...props}
        >
          {children}
        </select>
      )}
    </Field>
  );
}
