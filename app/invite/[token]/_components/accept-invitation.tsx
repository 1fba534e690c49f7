"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { errorAt, FormAlert, type FormError, NewPasswordFields } from "@/components/ui/password-fields";
import { markWelcome } from "@/components/ui/welcome-toast";
import { acceptInvitationAction } from "../_actions";

export function AcceptInvitation({ token, email, newAccount }: { token: string; email: string; newAccount: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = newAccount ? String(form.get("password") ?? "") : undefined;
    if (newAccount && password !== form.get("confirm"))
      return setError({ message: "The two passwords differ.", field: "confirm" });
    setBusy(true);
    setError(null);
    const r = await acceptInvitationAction({
      token,
      name: newAccount ? String(form.get("name") ?? "") : undefined,
      password,
    });
    if (!r.ok) {
      setBusy(false);
      return setError({ message: r.message, field: r.field });
    }
    const next = `/${r.data.projectSlug}/prompts`;
    markWelcome(r.data.projectSlug);
    // A new account signs in with the password just chosen, rather than being asked for it again.
    let signedIn = true;
    if (newAccount) {
      const res = await signIn("credentials", { email, password, redirect: false }).catch(() => undefined);
      signedIn = Boolean(res?.ok && !res.error);
    }
    // Should that sign-in fail (a rate limit), the sign-in page asks for the password as before.
    router.push(signedIn ? next : `/login?callbackUrl=${encodeURIComponent(next)}&email=${encodeURIComponent(email)}`);
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 flex flex-col gap-4" noValidate>
      {newAccount ? (
        <>
          <Input label="Your name" name="name" id="name" autoComplete="name" required error={errorAt(error, "name")} />
          <NewPasswordFields
            name="password"
            label="Choose a password"
            repeatLabel="Repeat the password"
            error={error}
          />
        </>
      ) : null}
      <FormAlert error={error} fields={["name", "password", "confirm"]} />
      <Button type="submit" disabled={busy}>
        {busy ? "Joining…" : newAccount ? "Create my account and join" : "Join the project"}
      </Button>
    </form>
  );
}
