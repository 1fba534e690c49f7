"use client";

import { useState } from "react";
import Link from "next/link";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";

export function LoginForm({
  callbackUrl,
  providers,
  initialError,
  defaultEmail,
  passwords = true,
}: {
  callbackUrl: string;
  providers: { id: string; name: string }[];
  /** false (LECTERN_PASSWORDS=off): only the single sign-on buttons. */
  passwords?: boolean;
  initialError?: string;
  defaultEmail?: string;
}) {
  const [error, setError] = useState(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setPending(true);
    setError(undefined);
    const form = new FormData(e.currentTarget);
    const res = await signIn("credentials", {
      email: form.get("email"),
      password: form.get("password"),
      redirect: false,
    });
    if (res?.ok && !res.error) {
      window.location.assign(callbackUrl);
      return;
    }
    setPending(false);
    setError(res?.error === "CredentialsSignin" ? "Wrong email or password." : (res?.error ?? "Sign-in failed."));
  }

  const alert = error ? (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {error}
    </p>
  ) : null;
  const buttons = providers.map((p) => (
    <Button
      key={p.id}
      type="button"
      variant={passwords ? "secondary" : undefined}
      onClick={() => void signIn(p.id, { callbackUrl })}
    >
      Continue with {p.name}
    </Button>
  ));

  if (!passwords)
    return (
      <div className="mt-6 flex flex-col gap-4">
        {alert}
        {buttons}
      </div>
    );

  return (
    <form onSubmit={onSubmit} className="mt-6 flex flex-col gap-4" noValidate>
      <Input label="Email" name="email" type="email" autoComplete="username" required defaultValue={defaultEmail} />
      <Input label="Password" name="password" type="password" autoComplete="current-password" required />
      {alert}
      <Button type="submit" disabled={pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      <Link href="/forgot" className="text-center text-sm text-brand-700 underline">
        Forgot your password?
      </Link>
      {buttons}
    </form>
  );
}
