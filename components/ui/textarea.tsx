import type { TextareaHTMLAttributes } from "react";
import { controlProps, Field, type ControlProps } from "./field";

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & ControlProps;

/** A labelled multi-line field; the error, when present, is announced and linked to the field. */
export function Textarea({ label, error, hint, id, className = "", onValue, onChange, ...props }: TextareaProps) {
  const look = controlProps("rounded-md border px-3 py-2 text-sm shadow-sm", { error, className, onValue, onChange });
  return (
    <Field id={id ?? props.name} label={label} hint={hint} error={error}>
      {(a11y) => <textarea {...a11y} {...look} {...props} />}
    </Field>
  );
}
