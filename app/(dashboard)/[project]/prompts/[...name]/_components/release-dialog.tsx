"use client";

import { useLayoutEffect, useRef, useState } from "react";
import type { Actor } from "@/lib/auth/permissions";
import { PromoteDialog } from "./release-promote-dialog";
import { useReleasePreview } from "./release-preview";
import { ReviewRequestDialog } from "./release-review-dialog";
import { RollbackDialog } from "./release-rollback-dialog";
import type { ReleaseTarget } from "./release-shell";
import type { EnvironmentView, ReleaseMode, VersionOption } from "./types";

export type { ReleaseMode } from "./types";

/**
 * Confirms a release: pick the version, see its release plan for the environment (what is met and
 * what is missing, before anyone clicks) and exactly what will go live (the diff from what the
 * environment serves now), then promote, roll back or ask for a review — one dialog each. Whatever the
 * release also does (stop a running experiment) is said before the button. Each missing step of the plan
 * has its button (PlanStepAction): "Promote to staging…" turns this form into that promotion, "Request
 * review…" into that request, keeping the version chosen and the text typed; the evaluation runs from here.
 */
export function ReleaseDialog({
  open,
  onClose,
  mode: initialMode,
  slug,
  prompt,
  environments,
  initialEnvironment,
  initialVersion,
  versions,
  actor,
}: {
  actor: Actor;
  open: boolean;
  onClose: () => void;
  mode: ReleaseMode;
  slug: string;
  prompt: string;
  environments: EnvironmentView[];
  initialEnvironment: string;
  initialVersion?: number;
  versions: VersionOption[];
}) {
  const [mode, setMode] = useState(initialMode);
  // Each mode is a dialog of its own, so switching modes closes one <dialog> and opens another, and the browser
  // would give focus back to the button of the one that closed. The opener is kept here (a layout effect runs
  // before the dialog's own effect opens it and moves focus) and gets focus back when the last one closes.
  const opener = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (open && document.activeElement instanceof HTMLElement) opener.current = document.activeElement;
  }, [open]);
  const close = () => {
    onClose();
    requestAnimationFrame(() => {
      if (document.activeElement === document.body || document.activeElement === null) opener.current?.focus();
    });
  };
  const [environment, setEnvironment] = useState(initialEnvironment);
  const env = environments.find((e) => e.name === environment);
  // A rollback returns to a version this environment has served (promotion rules are not re-checked).
  const choices =
    mode === "rollback"
      ? versions.filter((v) => v.version !== env?.live?.version && v.wasLiveIn.includes(environment))
      : versions;
  const fallback =
    mode === "rollback" ? (env?.previous ?? choices[0]?.version) : (initialVersion ?? versions[0]?.version);
  const [version, setVersion] = useState<number | undefined>(initialVersion ?? fallback);
  const [text, setText] = useState("");
  const [fresh, setFresh] = useState(0);
  const { preview, previewError } = useReleasePreview(open, { slug, prompt, environment, version }, () =>
    setFresh((n) => n + 1),
  );
  const release: ReleaseTarget = {
    slug,
    prompt,
    actor,
    open,
    onClose: close,
    environments,
    environment,
    onEnvironment: setEnvironment,
    env,
    choices,
    version,
    onVersion: setVersion,
    text,
    onText: setText,
    preview,
    previewError,
    fresh,
  };
  const openForm = (m: "promote" | "review", e: string) => {
    setMode(m);
    setEnvironment(e);
  };
  if (mode === "rollback") return <RollbackDialog release={release} />;
  if (mode === "review") return <ReviewRequestDialog release={release} onOpen={openForm} />;
  return <PromoteDialog release={release} onOpen={openForm} />;
}
