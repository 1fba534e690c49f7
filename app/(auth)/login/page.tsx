import { redirect } from "next/navigation";
import { safeCallbackPath } from "@/lib/auth/redirects";
import { signInErrorMessage } from "@/lib/auth/sso";
import { logDataDirProblems } from "@/lib/server/wiring/data-dir";
import { currentUser, sessionCookie } from "@/lib/server/wiring/session";
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
  // Never a silent way back here: what changed under the server, or a sign-in it could not read, is said.
  const problems = logDataDirProblems();
  const unreadable = (await sessionCookie()).unreadable;
  const external = [
    ...(config.OIDC_ISSUER ? [{ id: "oidc", name: config.OIDC_NAME }] : []),
    ...(config.GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
  ];
  return (
    <AuthCard title="Sign in to Lectern">
      <p className="mt-1 text-sm text-slate-600">Prompt management for your team.</p>
      {problems.map((p) => (
        <p key={p} role="alert" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {p}
        </p>
      ))}
      {unreadable ? (
        <p role="status" className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700">
          Your previous sign-in can no longer be read here (it was signed with another secret: Lectern restarted with a
          new one, or instances do not share NEXTAUTH_SECRET). Sign in again; if this page keeps coming back, give every
          instance the same NEXTAUTH_SECRET.
        </p>
      ) : null}
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
