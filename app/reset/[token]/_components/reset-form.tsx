"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { FormAlert, type FormError, NewPasswordFields } from "@/components/ui/password-fields";
import { resetPasswordAction } from "../_actions";

export function ResetForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const password = String(form.get("password") ?? "");
    if (password !== form.get("confirm")) return setError({ message: "The two passwords differ.", field: "confirm" });
    setBusy(true);
    setError(null);
    const r = await resetPasswordAction({ token, password });
    if (!r.ok) {
      setBusy(false);
      return setError({ message: r.message, field: r.field });
    }
    router.push(`/login?email=${encodeURIComponent(email)}`);
  }

  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 flex flex-col gap-4" noValidate>
      <NewPasswordFields name="password" label="New password" repeatLabel="Repeat the password" error={error} />
      <FormAlert error={error} fields={["password", "confirm"]} />
      <Button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save the new password"}
      </Button>
    </form>
  );
}
