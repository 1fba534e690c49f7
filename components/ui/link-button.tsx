import Link, { type LinkProps } from "next/link";
import type { AnchorHTMLAttributes } from "react";
import { buttonClass } from "./button";

const variants = {
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  secondary: "bg-white text-slate-800 border border-slate-300 hover:bg-slate-50",
  ghost: "text-slate-700 hover:bg-slate-100",
} as const;

export type LinkButtonProps = LinkProps &
  Omit<AnchorHTMLAttributes<HTMLAnchorElement>, keyof LinkProps> & {
    variant?: keyof typeof variants;
    size?: "sm" | "md";
  };

/** A link styled as a button, for navigation (a button that navigates is a link to assistive tech). */
export function LinkButton({ variant = "secondary", size = "md", className = "", ...props }: LinkButtonProps) {
  return <Link className={buttonClass(size, variants[variant], className)} {...props} />;
}
