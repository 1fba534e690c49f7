"use client";

import { useRouter } from "next/navigation";
import { useConfirm, type ConfirmOptions } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";

/**
 * A destructive move that asks first (revoke a key, delete a webhook…): `move(ask, act, done)` asks `ask` with a
 * red button, runs `act` once confirmed, shows its refusal or `done`, and reloads the page's data. Render `dialog`.
 */
export function useConfirmedMove() {
  const router = useRouter();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  async function move(
    ask: Omit<ConfirmOptions, "danger">,
    act: () => Promise<{ ok: true } | { ok: false; message: string }>,
    done: string,
  ) {
    if (!(await confirm({ ...ask, danger: true }))) return;
    const r = await act();
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(done);
    router.refresh();
  }
  return { move, dialog };
}
