import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/redirects";
import { signInErrorMessage } from "@/lib/auth/sso";
import { currentUser } from "@/lib/server/wiring/session";
import { env } from "@/lib/server/wiring/env";
import { AuthCard } from "@/components/ui/auth-card";
import { LoginForm } from "./_components/login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string; error?: string; email?: string; reason?: string }>;
}) {
  const { callbackUrl, error, email, reason } = await searchParams;
  const config = env();
  const safeCallback = safeCallbackPath(callbackUrl, config.NEXTAUTH_URL);
  if (await currentUser()) redirect(safeCallback);
  const external = [
    ...(config.OIDC_ISSUER ? [{ id: "oidc", name: config.OIDC_NAME }] : []),
    ...(config.GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
  ];
  return (
    <AuthCard title="Sign in to Lectern">
      <p className="mt-1 text-sm text-slate-600">Prompt management for your team.</p>
      <LoginForm
        callbackUrl={safeCallback}
        providers={external}
        defaultEmail={typeof email === "string" ? email.slice(0, 254) : undefined}
        passwords={config.LECTERN_PASSWORDS === "on"}
        initialError={signInErrorMessage(error, reason)}
      />
    </AuthCard>
  );
}
