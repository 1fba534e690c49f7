import { redirect } from "next/navigation";
import { currentUser } from "@/lib/server/session";
import { env } from "@/lib/server/env";
import { LoginForm } from "./_components/login-form";

export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  if (await currentUser()) redirect("/");
  const { callbackUrl, error } = await searchParams;
  const config = env();
  const external = [
    ...(config.OIDC_ISSUER ? [{ id: "oidc", name: config.OIDC_NAME }] : []),
    ...(config.GITHUB_ID ? [{ id: "github", name: "GitHub" }] : []),
  ];
  const safeCallback = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">Sign in to Lectern</h1>
        <p className="mt-1 text-sm text-slate-600">Prompt management for your team.</p>
        <LoginForm callbackUrl={safeCallback} providers={external} initialError={error === "CredentialsSignin" ? "Wrong email or password." : error} />
      </div>
    </main>
  );
}
