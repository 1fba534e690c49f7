import type { ChangeEvent, ChangeEventHandler, ReactNode } from "react";

export type FieldA11y = {
  id: string | undefined;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
};

/**
 * Label, hint and error around one control (input, textarea, select): the error is announced and
 * linked to the control, the hint is linked while there is no error.
 */
export function Field({
  id,
  label,
  hideLabel = false,
  hint,
  error,
  children,
}: {
  id: string | undefined;
  label: ReactNode;
  hideLabel?: boolean;
  hint?: ReactNode;
  error?: string;
  children: (a11y: FieldA11y) => ReactNode;
}) {
  const describedBy = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="flex min-w-0 max-w-full flex-col gap-1">
      <label htmlFor={id} className={hideLabel ? "sr-only" : "text-sm font-medium text-slate-700"}>
        {label}
      </label>
      {children({ id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}

export const fieldBorder = (error?: string) => (error ? "border-red-500" : "border-slate-300");

/** What a labelled control (Input, Textarea, Select) takes beside its element's own attributes. */
export type ControlProps = {
  label: ReactNode;
  error?: string;
  hint?: ReactNode;
  /** Called with the new value on every change: `onValue={setName}` instead of an onChange that unpacks the event. */
  onValue?: (value: string) => void;
};

/** A control element's class (its look, the border its error gives it, then the caller's) and its change handler. */
export function controlProps<E extends { value: string }>(
  look: string,
  {
    error,
    className,
    onValue,
    onChange,
  }: { error?: string; className: string; onValue?: (value: string) => void; onChange?: ChangeEventHandler<E> },
) {
  return {
    className: `${look} ${fieldBorder(error)} focus:border-brand-600 ${className}`,
    onChange: onValue ? (e: ChangeEvent<E>) => onValue(e.target.value) : onChange,
  };
}
