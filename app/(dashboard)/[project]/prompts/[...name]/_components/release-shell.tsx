"use client";

import { useRef, useState, type ReactNode } from "react";
import type { Actor } from "@/lib/auth/permissions";
import { sentence } from "@/components/editor/state";
import { Dialog } from "@/components/ui/dialog";
import { GatedButton } from "@/components/ui/gated-button";
import { CancelButton } from "@/components/forms/cancel-button";
import { useDone } from "@/components/forms/use-done";
import type { PlanActionHost, PlanDialogMode } from "./plan-step-action";
import { ReleaseDiff } from "./release-changes";
import { ReleaseFields, releaseButton, releaseTitle } from "./release-fields";
import type { ReleasePreview } from "./release-preview";
import type { EnvironmentView, ReleaseMode, VersionOption } from "./types";

/** What every release dialog shares: the environment and version chosen, the reason typed, and their preview. */
export type ReleaseTarget = {
  slug: string;
  prompt: string;
  actor: Actor;
  open: boolean;
  onClose: () => void;
  environments: EnvironmentView[];
  environment: string;
  onEnvironment: (name: string) => void;
  env: EnvironmentView | undefined;
  choices: VersionOption[];
  version: number | undefined;
  onVersion: (version: number) => void;
  text: string;
  onText: (text: string) => void;
  preview: ReleasePreview | null;
  previewError: string | null;
  /** Counts the previews that arrived: a confirmation covers the changes that were shown, not another version's. */
  fresh: number;
};

export type ReleaseError = { message: string; field?: string };
type Answer<T> = { ok: true; data: T } | { ok: false; message: string; field?: string };

/**
 * Sends a release's action once at a time; a refusal is kept (with the field it names), a success says what
 * happened, closes the dialog and reloads the page's data.
 */
export function useReleaseSubmit(onClose: () => void) {
  const done = useDone(onClose);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ReleaseError | null>(null);
  async function submit<T>(send: () => Promise<Answer<T>>, message: (data: T) => string) {
    setBusy(true);
    setError(null);
    const r = await send();
    setBusy(false);
    if (!r.ok) {
      setError({ message: sentence(r.message), field: r.field });
      return;
    }
    done(message(r.data));
  }
  const breakingError = error?.field === "confirmBreaking" ? error.message : undefined;
  return { busy, error, setError, submit, breakingError };
}

/**
 * What a dialog reads of its target: the version and environment chosen, who acts, the preview's plan, and the
 * preview while it would change what is live (null when that version is live already).
 */
export function releaseView(r: ReleaseTarget) {
  const { preview, version, environment, actor } = r;
  const current = preview && preview.live !== version ? preview : null;
  return { version, environment, actor, plan: preview?.plan ?? null, current };
}

/** Calls `reset` when another preview arrives: a confirmation covers the changes that were shown, not another version's. */
export function useOnFresh(r: ReleaseTarget, reset: () => void) {
  const [seen, setSeen] = useState(r.fresh);
  if (seen !== r.fresh) {
    setSeen(r.fresh);
    reset();
  }
}

/**
 * Promotes or rolls back to the chosen version (nothing while none is chosen): `send` gets what both send (the
 * prompt, environment, version and reason) and says how; the toast says what the environment serves now.
 */
export function serveVersion<T>(
  r: ReleaseTarget,
  submit: ReturnType<typeof useReleaseSubmit>["submit"],
  send: (input: { name: string; environment: string; version: number; reason: string }) => Promise<Answer<T>>,
) {
  const { version, environment } = r;
  if (version === undefined) return;
  return submit(
    () => send({ name: r.prompt, environment, version, reason: r.text }),
    (data) => servedMessage(data, environment, version),
  );
}

/** "production now serves version 4", or that nothing changed when that version was live already. */
export const servedMessage = (data: unknown, environment: string, version: number) =>
  typeof data === "object" && data !== null && "unchanged" in data && data.unchanged === true
    ? `Version ${version} is already live in ${environment}; nothing changed.`
    : `${environment} now serves version ${version}.`;

/**
 * The frame of a release dialog: its title, the environment and version fields, what the mode adds (children),
 * a refusal not tied to a field, and the diff from what the environment serves now; Cancel and the mode's button.
 */
export function ReleaseShell({
  release: r,
  mode,
  description,
  error,
  busy,
  disabled,
  blocked,
  reviewIncomplete = false,
  deployOnApprove = true,
  onDeployOnApprove = () => {},
  onConfirm,
  children,
}: {
  release: ReleaseTarget;
  mode: ReleaseMode;
  description: string;
  error: ReleaseError | null;
  busy: boolean;
  /** Why the button is off beyond being busy or having no version. */
  disabled: boolean;
  blocked: string | null;
  reviewIncomplete?: boolean;
  deployOnApprove?: boolean;
  onDeployOnApprove?: (on: boolean) => void;
  onConfirm: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog
      open={r.open}
      onClose={r.onClose}
      size="xl"
      title={releaseTitle(mode, r.environment)}
      description={description}
      footer={
        <>
          <CancelButton onClick={r.onClose} />
          <GatedButton
            variant={mode === "rollback" ? "danger" : "primary"}
            onClick={onConfirm}
            disabled={busy || r.version === undefined || disabled}
            blockedReason={blocked}
          >
            {busy ? "Working…" : releaseButton(mode, r.environment, r.version, reviewIncomplete)}
          </GatedButton>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        <ReleaseFields
          mode={mode}
          environments={r.environments}
          environment={r.environment}
          onEnvironment={r.onEnvironment}
          env={r.env}
          choices={r.choices}
          version={r.version}
          onVersion={r.onVersion}
          versionError={error?.field === "version" ? error.message : undefined}
          text={r.text}
          onText={r.onText}
          deployOnApprove={deployOnApprove}
          onDeployOnApprove={onDeployOnApprove}
        />
        {children}
        {error && error.field !== "version" && error.field !== "confirmBreaking" ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            {error.message}
          </p>
        ) : null}
        <ReleaseDiff
          preview={r.preview}
          previewError={r.previewError}
          environment={r.environment}
          version={r.version}
        />
      </div>
    </Dialog>
  );
}

/**
 * What a plan's step buttons can do inside a promote or review form: open the other form here (the refusal
 * shown goes with the form it came from), and bring a confirmation into view.
 */
export function usePlanHost(
  r: ReleaseTarget,
  mode: PlanDialogMode,
  onOpen: (mode: PlanDialogMode, environment: string) => void,
  onOpened: () => void,
) {
  const breakingRef = useRef<HTMLDivElement>(null);
  const rolledBackRef = useRef<HTMLLabelElement>(null);
  const dependentsRef = useRef<HTMLLabelElement>(null);
  const host: PlanActionHost = {
    slug: r.slug,
    prompt: r.prompt,
    actor: r.actor,
    environments: r.environments,
    current: { mode, environment: r.environment },
    open: (m, env) => {
      onOpen(m, env);
      onOpened();
    },
    confirmBreaking: () => {
      breakingRef.current?.scrollIntoView({ block: "center" });
      breakingRef.current?.querySelector<HTMLInputElement>('input[type="checkbox"]')?.focus();
    },
    confirmRolledBack: () => rolledBackRef.current?.querySelector<HTMLInputElement>("input")?.focus(),
    confirmDependents: () => dependentsRef.current?.querySelector<HTMLInputElement>("input")?.focus(),
  };
  return { host, breakingRef, rolledBackRef, dependentsRef };
}
