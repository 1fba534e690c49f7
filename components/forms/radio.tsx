import type { InputHTMLAttributes, ReactNode } from "react";

export type RadioProps = Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "className"> & {
  /** The label's classes (the label wraps the button and its text). */
  className?: string;
  /** The radio button's classes. */
  boxClassName?: string;
  children: ReactNode;
};

/** A radio button inside its label, so that the text names it and a click on the text chooses it. */
export function Radio({ className, boxClassName, children, ...props }: RadioProps) {
  return (
    <label className={className}>
      <input type="radio" className={boxClassName} {...props} />
      {children}
    </label>
  );
}
