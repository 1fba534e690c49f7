import type { ReactNode, TextareaHTMLAttributes } from "react";
import { Field, fieldBorder } from "./field";

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Called with the new text on every change: `onValue={setBody}`. */
  onValue?: (value: string) => void;
};

/** A labelled multi-line field; the error, when present, is announced and linked to the field. */
export function Textarea({ label, error, hint, id, className = "", onValue, onChange, ...props }: TextareaProps) {
  return (
    <Field id={id ?? props.name} label={label} hint={hint} error={error}>
      {(a11y) => (
        <textarea
          {...a11y}
          className={`rounded-md border px-3 py-2 text-sm shadow-sm ${fieldBorder(error)} focus:border-brand-600 ${className}`}
          onChange={onValue ? (e) => onValue(e.target.value) : onChange}
          {...props}
        />
      )}
    </Field>
  );
}
