import type { InputHTMLAttributes, ReactNode } from "react";

export type CheckboxProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "className" | "onChange"> & {
  /** The label's classes (the label wraps the box and its text). */
  className?: string;
  /** The box's classes. */
  boxClassName?: string;
  /** Called with the new state on every change: `onCheck={setConfirmed}`. */
  onCheck: (checked: boolean) => void;
  children: ReactNode;
};

/** A checkbox inside its label, so that the text names it and a click on the text ticks it. */
export function Checkbox({ className, boxClassName, onCheck, children, ...props }: CheckboxProps) {
  return (
    <label className={className}>
      <input type="checkbox" className={boxClassName} onChange={(e) => onCheck(e.target.checked)} {...props} />
      {children}
    </label>
  );
}
