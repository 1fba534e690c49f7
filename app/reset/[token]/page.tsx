import { describePasswordReset } from "@/lib/auth/passwords";
import { isAppError } from "@/lib/errors";
import { getDb } from "@/lib/server/wiring/db";
import { AuthCard } from "@/components/ui/auth-card";
import { ResetForm } from "./_components/reset-form";

export const metadata = { title: "Reset password" };

export default async function ResetPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const reset = await describePasswordReset(await getDb(), token).catch((e: unknown) => {
    if (isAppError(e)) return e.message;
    throw e;
  });
  return (
    <AuthCard title="Choose a new password">
      {typeof reset === "string" ? (
        <p role="alert" className="mt-4 text-sm text-red-800">
          {reset}
        </p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">
            For {reset.email}. Every session of this account ends when you save.
          </p>
          <ResetForm token={token} email={reset.email} />
        </>
      )}
    </AuthCard>
  );
}
