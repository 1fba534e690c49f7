"use client";

import { statusLabel } from "@/components/release/release-badges";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { ReleaseMode } from "./types";
import type { ReleaseTarget } from "./release-shell";
import { Checkbox } from "@/components/forms/checkbox";

/** The release dialog's inputs: environment, version, the reason or message, and (for a review) deploy on approval. */
export function ReleaseFields({
  mode,
  environments,
  environment,
  onEnvironment,
  env,
  choices,
  version,
  onVersion,
  versionError,
  text,
  onText,
  deployOnApprove,
  onDeployOnApprove,
}: Pick<
  ReleaseTarget,
  "environments" | "environment" | "onEnvironment" | "env" | "choices" | "version" | "onVersion" | "text" | "onText"
> & {
  mode: ReleaseMode;
  versionError: string | undefined;
  deployOnApprove: boolean;
  onDeployOnApprove: (on: boolean) => void;
}) {
  return (
    <>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {mode !== "rollback" ? (
          <Select
            label="Environment"
            id="release-environment"
            value={environment}
            onValue={onEnvironment}
            options={environments.map((e) => e.name)}
          />
        ) : null}
        <Select
          label={mode === "rollback" ? "Roll back to version" : "Version"}
          id="release-version"
          value={version ?? ""}
          onValue={(v) => onVersion(Number(v))}
          error={versionError}
        >
          {choices.map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version} ·{" "}
              {v.version === env?.live?.version
                ? `live in ${environment}`
                : v.version === env?.previous
                  ? `previously live in ${environment}`
                  : statusLabel(v.status, v.liveIn)}{" "}
              — {v.commitMessage.slice(0, 60) || "no message"}
            </option>
          ))}
        </Select>
      </div>
      <Textarea
        label={mode === "review" ? "Message to the reviewer" : "Reason (shown in the history)"}
        id="release-reason"
        rows={2}
        value={text}
        onValue={onText}
        placeholder={
          mode === "rollback"
            ? "What went wrong?"
            : mode === "review"
              ? "What should the reviewer look at?"
              : "Optional"
        }
      />
      {mode === "review" ? (
        <Checkbox
          className="flex items-center gap-2 text-sm text-slate-700"
          boxClassName="size-4"
          checked={deployOnApprove}
          onCheck={onDeployOnApprove}
        >
          Deploy to {environment} as soon as it is approved
        </Checkbox>
      ) : null}
    </>
  );
}

const titles: Record<ReleaseMode, (env: string) => string> = {
  promote: (env) => `Promote to ${env}`,
  rollback: (env) => `Roll back ${env}`,
  review: (env) => `Request review for ${env}`,
};

/** The release dialog's title. */
export const releaseTitle = (mode: ReleaseMode, environment: string) => titles[mode](environment);

/** What the release dialog's button says. */
export function releaseButton(mode: ReleaseMode, environment: string, version?: number, reviewIncomplete = false) {
  if (mode === "promote") return `Promote version ${version ?? ""} to ${environment}`;
  if (mode === "rollback") return `Roll back ${environment} to version ${version ?? ""}`;
  return reviewIncomplete ? "Request review anyway" : "Request review";
}
