import Link, { type LinkProps } from "next/link";
import type { AnchorHTMLAttributes } from "react";

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
  const sizing = size === "sm" ? "px-2.5 py-1 text-xs" : "px-3.5 py-2 text-sm";
  return (
    <Link
      className={`inline-flex items-center justify-center gap-1.5 rounded-md font-medium transition-colors ${sizing} ${variants[variant]} ${className}`}
      {...props}
    />
  );
}
