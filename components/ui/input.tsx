import type { InputHTMLAttributes } from "react";
import { controlProps, Field, type ControlProps } from "./field";

export type InputProps = InputHTMLAttributes<HTMLInputElement> & ControlProps;

/** A labelled input; the error, when present, is announced and linked to the field. */
export function Input({ label, error, hint, id, className = "", onValue, onChange, ...props }: InputProps) {
  const look = controlProps("rounded-md border px-3 py-2 text-sm shadow-sm", { error, className, onValue, onChange });
  return (
    <Field id={id ?? props.name} label={label} hint={hint} error={error}>
      {(a11y) => <input {...a11y} {...look} {...props} />}
    </Field>
  );
}
