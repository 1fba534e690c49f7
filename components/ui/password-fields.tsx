import { Input } from "./input";

/** A refusal shown on a form: at the field it names, or, naming none of the form's fields, above the button. */
export type FormError = { message: string; field?: string } | null;

/** The message for `field`, when the error names it. */
export const errorAt = (error: FormError, field: string) => (error?.field === field ? error.message : undefined);

/**
 * A new password and its repeat (`confirm`), as the account, invitation and reset forms ask for them; the
 * first field's name is `name`.
 */
export function NewPasswordFields({
  name,
  label,
  repeatLabel,
  error,
}: {
  name: string;
  label: string;
  repeatLabel: string;
  error: FormError;
}) {
  return (
    <>
      <Input
        label={label}
        name={name}
        id={name}
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters."
        required
        error={errorAt(error, name)}
      />
      <Input
        label={repeatLabel}
        name="confirm"
        id="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={errorAt(error, "confirm")}
      />
    </>
  );
}

/** The error that names none of `fields`, as an alert (the others stand at their field). */
export function FormAlert({
  error,
  fields,
  className = "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800",
}: {
  error: FormError;
  fields: readonly string[];
  className?: string;
}) {
  return error && !fields.includes(error.field ?? "") ? (
    <p role="alert" className={className}>
      {error.message}
    </p>
  ) : null;
}
