import type { ReactNode } from "react";

/** The error of a form or dialog, announced as it appears; nothing when there is none. */
export function FormError({
  message,
  id,
  className = "mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800",
}: {
  message: ReactNode;
  /** For the field that `aria-describedby` it. */
  id?: string;
  className?: string;
}) {
  return message ? (
    <p id={id} role="alert" className={className}>
      {message}
    </p>
  ) : null;
}
