"use client";

import { useCallback, useRef, useState, type ReactNode } from "react";
import { Button } from "./button";
import { Dialog } from "./dialog";

export type ConfirmOptions = {
  title: string;
  /** What happens, in a sentence or two. */
  body?: ReactNode;
  /** The confirming button's words ("Revoke key"); "Confirm" by default. */
  confirmLabel?: string;
  /** A destructive action: the button is red. */
  danger?: boolean;
};

/**
 * The app's own confirmation (never the browser's `confirm()`, which a person cannot style, read on a phone, or
 * find in a screen reader's dialog list): `const { confirm, dialog } = useConfirm()`, render `{dialog}`, then
 * `if (!(await confirm({ title, body, confirmLabel, danger: true }))) return;`.
 */
export function useConfirm() {
  const [asked, setAsked] = useState<ConfirmOptions | null>(null);
  const answer = useRef<((yes: boolean) => void) | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        answer.current?.(false);
        answer.current = resolve;
        setAsked(options);
      }),
    [],
  );
  const settle = (yes: boolean) => {
    answer.current?.(yes);
    answer.current = null;
    setAsked(null);
  };
  const dialog = asked ? (
    <Dialog
      open
      onClose={() => settle(false)}
      title={asked.title}
      footer={
        <>
          <Button variant="secondary" onClick={() => settle(false)}>
            Cancel
          </Button>
          <Button variant={asked.danger ? "danger" : "primary"} onClick={() => settle(true)} autoFocus>
            {asked.confirmLabel ?? "Confirm"}
          </Button>
        </>
      }
    >
      {asked.body ? <div className="text-sm text-slate-800">{asked.body}</div> : null}
    </Dialog>
  ) : null;
  return { confirm, dialog };
}
