"use client";

import { roleExplanation } from "@/lib/glossary";
import { messageRoles } from "@/lib/registry/content";
import { Button } from "@/components/ui/button";
import type { MessageEdit } from "./state";

/** A message's role, with what the role means; a role from elsewhere stays as given until changed. */
export function RoleSelect({
  label,
  hintId,
  role,
  readOnly,
  onRole,
}: {
  label: string;
  hintId: string;
  role: MessageEdit["role"];
  readOnly: boolean;
  onRole: (role: MessageEdit["role"]) => void;
}) {
  return (
    <>
      <label className="flex min-w-0 max-w-full items-center gap-1.5 text-sm text-slate-700">
        <span className="sr-only">{label} role</span>
        <select
          value={role}
          disabled={readOnly}
          onChange={(e) => onRole(e.target.value as MessageEdit["role"])}
          className="min-w-0 max-w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
          aria-label={`${label} role`}
          aria-describedby={hintId}
        >
          {messageRoles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
          {/* A role from elsewhere (Langfuse's function, a custom one) stays as given until changed. */}
          {role !== "placeholder" && !(messageRoles as readonly string[]).includes(role) ? (
            <option value={role}>{role} (kept as imported)</option>
          ) : null}
          <option value="placeholder">placeholder (messages given at run time)</option>
        </select>
      </label>
      <span id={hintId} className="order-last basis-full text-xs text-slate-600">
        {roleExplanation(role)}
      </span>
    </>
  );
}

/** Moving a message up or down, and removing it (the last one stays). */
export function MessageButtons({
  label,
  first,
  last,
  only,
  onMove,
  onRemove,
}: {
  label: string;
  first: boolean;
  last: boolean;
  only: boolean;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  return (
    <div className="ml-auto flex gap-1">
      <Button
        type="button"
        size="sm"
        variant="ghost"
        disabled={first}
        onClick={() => onMove(-1)}
        aria-label={`Move ${label.toLowerCase()} up`}
      >
        ↑ Up
      </Button>
      <Button
        type="button"
        size="sm"
        variant="ghost"
        disabled={last}
        onClick={() => onMove(1)}
        aria-label={`Move ${label.toLowerCase()} down`}
      >
        ↓ Down
      </Button>
      <Button
        type="button"
        size="sm"
        variant="ghost"
        disabled={only}
        onClick={onRemove}
        aria-label={`Remove ${label.toLowerCase()}`}
      >
        Remove
      </Button>
    </div>
  );
}
