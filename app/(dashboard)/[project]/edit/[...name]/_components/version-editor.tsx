"use client";

import { encodePromptName } from "@/lib/registry/name-rules";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { Content } from "@/lib/registry/content";
import type { PartialMap } from "@/components/editor/diagnostics";
import { useBreakingNotice } from "@/components/editor/breaking-notice";
import { PromptWorkspace } from "@/components/editor/prompt-workspace";
import { CommitPrompt } from "@/components/editor/commit-prompt";
import { SaveBar } from "@/components/editor/save-bar";
import { suggestCommitMessage } from "@/lib/registry/changes/commit-suggestion";
import { fromContent, toCandidate } from "@/components/editor/state";
import { olderBaseNotice } from "@/components/editor/edit-base";
import { useUnsavedChangesWarning } from "@/components/editor/unsaved-changes";
import { useToast } from "@/components/ui/toast";
import { useProjectWorkspace } from "../../../_components/use-project-workspace";
import { saveVersionAction, type SaveConflict } from "../_actions";
import { ConflictDialog } from "./conflict-dialog";
import { TryUnsaved } from "./try-unsaved";

export type Conflict = SaveConflict & { message: string };

/** A save refused because a newer version exists: REST's 409, whose details hold both versions. */
const conflictOf = (r: { code: string; message: string; details?: Record<string, unknown> }): Conflict | null => {
  const d = r.code === "conflict" ? r.details : undefined;
  return d && typeof d.latestVersion === "number" && d.latest && d.base
    ? { ...(d as SaveConflict), message: r.message }
    : null;
};

/**
 * Edits a prompt from one of its versions (`fromVersion`, whose whole content the form starts with: the page
 * keys this component on it) and saves the result as a new version, never overwriting one. The save names
 * that version as its base, so the new version's diff is against what the form started from.
 */
export function VersionEditor({
  slug,
  name,
  initial,
  fromVersion,
  baseVersion: initialBase,
  partials,
  promptNames,
  blocked,
}: {
  slug: string;
  name: string;
  initial: Content;
  fromVersion: number;
  baseVersion: number;
  partials: PartialMap;
  promptNames: string[];
  blocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const ws = useProjectWorkspace(slug, fromContent(initial), { promptName: name, partials });
  const [baseVersion, setBaseVersion] = useState(initialBase);
  // The version the form's content was copied from; after a merge with newer versions, the newest one merged.
  const [from, setFrom] = useState(fromVersion);
  const [commitMessage, setCommitMessage] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [asking, setAsking] = useState(false);
  const leaveDialog = useUnsavedChangesWarning(ws.dirty && !saving);
  const breaking = useBreakingNotice(ws, initial, `version ${fromVersion}`);

  async function save(message = commitMessage) {
    setAsking(false);
    setCommitMessage(message);
    setSaving(true);
    setError(null);
    const r = await saveVersionAction(slug, {
      name,
      baseVersion,
      fromVersion: from,
      commitMessage: message,
      content: toCandidate(ws.state).candidate,
    });
    if (!r.ok) {
      setSaving(false);
      const c = conflictOf(r);
      return c ? setConflict({ ...c, baseVersion }) : setError(r.message);
    }
    const { version, warnings } = r.data;
    ws.markSaved();
    const note = breaking ? " It breaks applications that call this prompt: update them before you promote it." : "";
    toast.show(
      `Saved version ${version}${from === version - 1 ? "" : `, edited from version ${from}`}.${warnings.length ? ` ${warnings.join(" ")}` : ""}${note}`,
      breaking ? "info" : "success",
    );
    // The prompt page then shows the saved version and what it needs before each environment.
    router.push(`/${slug}/prompts/${encodePromptName(name)}?version=${version}#release`);
  }

  return (
    <>
      {olderBaseNotice(from, baseVersion) ? (
        <p
          className="mb-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="older-base"
        >
          {olderBaseNotice(from, baseVersion)}
        </p>
      ) : null}
      <SaveBar
        commitMessage={commitMessage}
        onCommitMessage={setCommitMessage}
        onSave={() => (commitMessage.trim() ? void save() : setAsking(true))}
        saving={saving}
        problems={ws.problems}
        dirty={ws.dirty}
        saveLabel="Save as new version"
        blockedReason={blocked ?? (!ws.dirty && from === baseVersion ? "Nothing has changed yet." : null)}
        error={error}
        breaking={breaking}
        readOnly={Boolean(blocked)}
      />
      <PromptWorkspace ws={ws} promptNames={promptNames} readOnly={Boolean(blocked)} />
      {ws.state.type === "skill" ? null : (
        <TryUnsaved
          slug={slug}
          name={name}
          content={ws.content}
          problem={ws.problems[0]}
          candidate={toCandidate(ws.state).candidate}
        />
      )}
      {asking ? (
        <CommitPrompt
          suggestion={ws.content ? suggestCommitMessage(initial, ws.content) : ""}
          onSave={(message) => void save(message)}
          onClose={() => setAsking(false)}
        />
      ) : null}
      {conflict ? (
        <ConflictDialog
          conflict={conflict}
          mine={ws.content}
          onClose={() => setConflict(null)}
          onResolved={(state, note) => {
            ws.reset(state);
            setBaseVersion(conflict.latestVersion);
            setFrom(conflict.latestVersion);
            setConflict(null);
            toast.show(note, "info");
          }}
        />
      ) : null}
      {leaveDialog}
    </>
  );
}
