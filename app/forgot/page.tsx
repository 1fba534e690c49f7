import Link from "next/link";
import { passwordsOn } from "@/lib/server/wiring/auth";
import { mailConfigured } from "@/lib/server/wiring/mail";
import { AuthCard } from "@/components/ui/auth-card";
import { ForgotForm } from "./_components/forgot-form";

export const metadata = { title: "Forgot password" };

export default function ForgotPage() {
  return (
    <AuthCard title="Forgot your password?">
      {!passwordsOn() ? (
        <p className="mt-4 text-sm text-slate-700">
          This Lectern has no passwords: sign in through single sign-on on the{" "}
          <Link className="text-brand-700 underline" href="/login">
            login page
          </Link>
          .
        </p>
      ) : mailConfigured() ? (
        <ForgotForm />
      ) : (
        <p className="mt-4 text-sm text-slate-700">
          This Lectern cannot send email, so ask an admin of your project for a reset link (Settings → Members), or the
          server operator (<code className="text-xs">npm run user:reset-password -- you@example.com</code>).
        </p>
      )}
    </AuthCard>
  );
}
