"use client";

import { useState } from "react";

/**
 * A text field's state for a labelled control (Input, Textarea, Select): `<Input {...name} />` shows it and
 * typing sets it; `name.value` reads it.
 */
export function useField(initial = "") {
  const [value, onValue] = useState(initial);
  return { value, onValue };
}

/** What useField gives: the value, and what sets it. */
export type Field = ReturnType<typeof useField>;
