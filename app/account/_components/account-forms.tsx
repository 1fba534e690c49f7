"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Input } from "@/components/ui/input";
import { errorAt, FormAlert, type FormError, NewPasswordFields } from "@/components/ui/password-fields";
import { changePasswordAction, signOutOthersAction } from "../_actions";

export function AccountForms({ others }: { others: number }) {
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  async function change(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    if (form.get("next") !== form.get("confirm"))
      return setError({ message: "The two new passwords differ.", field: "confirm" });
    setBusy(true);
    setError(null);
    const r = await changePasswordAction({
      current: String(form.get("current") ?? ""),
      next: String(form.get("next") ?? ""),
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    formEl.reset();
    setDone(`Password changed. ${r.data.sessionsEnded} other session${r.data.sessionsEnded === 1 ? "" : "s"} ended.`);
  }

  async function signOutOthers() {
    const r = await signOutOthersAction({});
    setDone(r.ok ? `${r.data.sessionsEnded} other session${r.data.sessionsEnded === 1 ? "" : "s"} ended.` : r.message);
  }

  return (
    <>
      {done ? (
        <p role="status" className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900">
          {done}
        </p>
      ) : null}
      <Card title="Sign out everywhere else">
        <Button variant="secondary" disabled={others === 0} onClick={() => void signOutOthers()}>
          {others === 0 ? "No other sessions" : `End ${others} other session${others === 1 ? "" : "s"}`}
        </Button>
      </Card>
      <Card title="Change your password" description="Your other sessions end when you change it.">
        <form onSubmit={(e) => void change(e)} className="flex max-w-sm flex-col gap-4" noValidate>
          <Input
            label="Current password"
            name="current"
            id="current"
            type="password"
            autoComplete="current-password"
            required
            error={errorAt(error, "current")}
          />
          <NewPasswordFields name="next" label="New password" repeatLabel="Repeat the new password" error={error} />
          <FormAlert error={error} fields={["current", "next", "confirm"]} className="text-sm text-red-800" />
          <Button type="submit" disabled={busy}>
            {busy ? "Saving…" : "Change password"}
          </Button>
        </form>
      </Card>
    </>
  );
}
