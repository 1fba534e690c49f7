"use client";

import { useState } from "react";
import Link from "next/link";
import { encodePromptName } from "@/lib/registry/name-rules";

/** What a person may confirm when the release plan asks for it (the refusal's field names which). */
export type RolloutConfirm = "confirmRolledBack" | "confirmBreaking";
export const rolloutConfirms: readonly string[] = ["confirmRolledBack", "confirmBreaking"];

/**
 * Why the server refused to start the rollout, in its words; a plan not met links to the version's release
 * plan, and a step only a person can pass (release again what was rolled back, accept breaking changes) gets
 * its confirmation here, sent with the next try.
 */
export function RolloutStartError({
  slug,
  prompt,
  environment,
  version,
  error,
  asked,
  ticked,
  onTick,
}: {
  slug: string;
  prompt: string;
  environment: string;
  version: number | undefined;
  error: { message: string; code: string } | null;
  asked: RolloutConfirm[];
  ticked: RolloutConfirm[];
  onTick: (confirm: RolloutConfirm, on: boolean) => void;
}) {
  const labels: Record<RolloutConfirm, string> = {
    confirmRolledBack: `Start it anyway: version ${version} was rolled back in ${environment}, and I release it there again`,
    confirmBreaking: `Start it anyway: I accept version ${version}'s breaking changes for the applications using ${environment}`,
  };
  return (
    <>
      {error ? (
        <div
          role="alert"
          className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800"
          data-testid="rollout-start-error"
        >
          <p className="break-words">{error.message}</p>
          {(error.code === "plan_unmet" || asked.length > 0) && version !== undefined ? (
            <p className="mt-1">
              <Link className="underline" href={`/${slug}/prompts/${encodePromptName(prompt)}?show=${version}#release`}>
                See version {version}&apos;s release plan
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {asked.map((c) => (
        <label key={c} className="flex items-start gap-2 text-sm text-slate-800">
          <input
            type="checkbox"
            className="mt-0.5 size-4 shrink-0"
            checked={ticked.includes(c)}
            onChange={(e) => onTick(c, e.target.checked)}
          />
          <span>{labels[c]}</span>
        </label>
      ))}
    </>
  );
}

const fields = ["environment", "version", "steps", "guardrails", "margin", "minSamplePerArm", "reason"];

/** A refusal's message beside the field it names; one naming no field of the form is said below it. */
export function startErrorAt(error: { message: string; field?: string } | null) {
  const at = error?.field?.split(".")[0];
  return {
    errorAt: (field: string) => (error && at === field ? error.message : undefined),
    shownAtField: at !== undefined && fields.includes(at),
  };
}

/**
 * The confirmations the plan asked for and those ticked, for one environment and version only (another pair
 * asks afresh): a refusal naming one adds it to what is asked.
 */
export function useRolloutConfirms(pair: string) {
  const [confirms, setConfirms] = useState<{ pair: string; asked: RolloutConfirm[]; ticked: RolloutConfirm[] }>({
    pair: "",
    asked: [],
    ticked: [],
  });
  const none: RolloutConfirm[] = [];
  const { asked, ticked } = confirms.pair === pair ? confirms : { asked: none, ticked: none };
  return {
    asked,
    ticked,
    ask: (field: string | undefined) => {
      const confirm = field && rolloutConfirms.includes(field) ? (field as RolloutConfirm) : null;
      if (confirm && !asked.includes(confirm)) setConfirms({ pair, asked: [...asked, confirm], ticked });
    },
    tick: (c: RolloutConfirm, on: boolean) =>
      setConfirms({ pair, asked, ticked: on ? [...ticked, c] : ticked.filter((t) => t !== c) }),
  };
}
