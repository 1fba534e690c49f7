import type { ReactNode, SelectHTMLAttributes } from "react";
import { controlProps, Field, type ControlProps } from "./field";

/** A choice: a bare string is its own label. */
export type SelectOption = string | { value: string; label: ReactNode };

export type SelectProps = SelectHTMLAttributes<HTMLSelectElement> &
  ControlProps & {
    /** Visually hide the label (it stays available to screen readers). */
    hideLabel?: boolean;
    /** The choices, after any `children` (say a first "none" option). */
    options?: readonly SelectOption[];
  };

export function Select({
  label,
  hideLabel,
  error,
  hint,
  id,
  className = "",
  children,
  onValue,
  onChange,
  options = [],
  ...props
}: SelectProps) {
  const look = controlProps("max-w-full rounded-md border bg-white px-2.5 py-2 text-sm shadow-sm", {
    error,
    className,
    onValue,
    onChange,
  });
  return (
    <Field id={id ?? props.name} label={label} hideLabel={hideLabel} hint={hint} error={error}>
      {(a11y) => (
        <select {...a11y} {...look} {...props}>
          {children}
          {options.map((o) => {
            const { value, label: text } = typeof o === "string" ? { value: o, label: o } : o;
            return (
              <option key={value} value={value}>
                {text}
              </option>
            );
          })}
        </select>
      )}
    </Field>
  );
}
