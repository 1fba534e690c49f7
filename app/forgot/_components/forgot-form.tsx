"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { requestResetAction } from "../_actions";

export function ForgotForm() {
  const [state, setState] = useState<
    { kind: "idle" | "busy" } | { kind: "done"; message: string } | { kind: "error"; message: string }
  >({ kind: "idle" });

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    setState({ kind: "busy" });
    const r = await requestResetAction({ email: String(new FormData(e.currentTarget).get("email") ?? "") });
    setState(r.ok ? { kind: "done", message: r.data.message } : { kind: "error", message: r.message });
  }

  if (state.kind === "done")
    return (
      <p className="mt-4 text-sm text-slate-700" role="status">
        {state.message}
      </p>
    );
  return (
    <form onSubmit={(e) => void onSubmit(e)} className="mt-6 flex flex-col gap-4" noValidate>
      <Input
        label="Email"
        name="email"
        id="email"
        type="email"
        autoComplete="username"
        required
        error={state.kind === "error" ? state.message : undefined}
      />
      <Button type="submit" disabled={state.kind === "busy"}>
        Email me a link
      </Button>
    </form>
  );
}
