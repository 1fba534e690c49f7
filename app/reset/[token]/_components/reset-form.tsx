"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { resetPasswordAction } from "../_actions";

export function ResetForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
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
      <Input
        label="New password"
        name="password"
        id="password"
        type="password"
        autoComplete="new-password"
        hint="At least 8 characters."
        required
        error={error?.field === "password" ? error.message : undefined}
      />
      <Input
        label="Repeat the password"
        name="confirm"
        id="confirm"
        type="password"
        autoComplete="new-password"
        required
        error={error?.field === "confirm" ? error.message : undefined}
      />
      {error && error.field !== "password" && error.field !== "confirm" ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {error.message}
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? "Saving…" : "Save the new password"}
      </Button>
    </form>
  );
}
