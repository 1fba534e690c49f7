"use client";

import { encodePromptName } from "@/lib/registry/name-rules";
import { useState } from "react";
import { useRouter } from "next/navigation";
import type { Content } from "@/lib/registry/content";
import { diffContent } from "@/lib/registry/changes/diff";
import type { PartialMap } from "@/components/editor/diagnostics";
import { useBreakingNotice } from "@/components/editor/breaking-notice";
import { PromptWorkspace } from "@/components/editor/prompt-workspace";
import { SaveBar } from "@/components/editor/save-bar";
import { fromContent, toCandidate } from "@/components/editor/state";
import { useUnsavedChangesWarning } from "@/components/editor/unsaved-changes";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { useConfirm } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";
import { useProjectWorkspace } from "../../../_components/use-project-workspace";
import { discardDraftAction, mergeDraftAction, saveDraftAction, type MergeConflictWithLatest } from "../_actions";
import { ConflictResolver, type DraftConflict } from "./conflict-resolver";
import { DraftComparison, DraftTabs, type Side, type Tab } from "./draft-views";
import { FormError } from "@/components/forms/form-error";

/** Edits a draft copy, compares it with its base and the latest version, and merges it back. */
export function DraftEditor({
  slug,
  draftId,
  prompt,
  content,
  base,
  latest,
  partials,
  promptNames,
  blocked,
}: {
  slug: string;
  draftId: string;
  prompt: string;
  content: Content;
  base: Side;
  latest: Side;
  partials: PartialMap;
  promptNames: string[];
  blocked: string | null;
}) {
  const router = useRouter();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const ws = useProjectWorkspace(slug, fromContent(content), { promptName: prompt, partials });
  const [tab, setTab] = useState<Tab>("edit");
  const [commitMessage, setCommitMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<DraftConflict | null>(null);
  const leaveDialog = useUnsavedChangesWarning(ws.dirty && !busy);
  const breaking = useBreakingNotice(ws, base.content, `version ${base.version}, the draft’s base`);

  async function save() {
    setBusy(true);
    setError(null);
    const r = await saveDraftAction(slug, { id: draftId, content: toCandidate(ws.state).candidate });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    ws.markSaved();
    toast.show("Draft saved.");
    router.refresh();
  }

  function afterMerge(r: Awaited<ReturnType<typeof mergeDraftAction>>) {
    setBusy(false);
    if (!r.ok) {
      const d = r.code === "conflict" ? r.details : undefined;
      if (!d || !Array.isArray(d.conflicts) || !d.latest) return setError(r.message);
      ws.markSaved();
      setConflict({ ...(d as MergeConflictWithLatest), message: r.message });
      return;
    }
    ws.markSaved();
    toast.show(`Merged as version ${r.data.version}${r.data.threeWay ? " (three-way merge)" : ""}.`);
    router.push(`/${slug}/prompts/${encodePromptName(prompt)}?show=${r.data.version}#release`);
  }

  async function mergeWith(input: Omit<Parameters<typeof mergeDraftAction>[1], "id" | "commitMessage">) {
    setBusy(true);
    setError(null);
    afterMerge(await mergeDraftAction(slug, { id: draftId, ...input, commitMessage }));
  }
  const merge = () => mergeWith({ content: ws.dirty ? toCandidate(ws.state).candidate : undefined });
  const resolve = (resolved: Content) =>
    conflict ? mergeWith({ content: resolved, baseVersion: conflict.latestVersion }) : Promise.resolve();

  async function discard() {
    const yes = await confirm({
      title: "Discard this draft?",
      body: "Its changes will be lost.",
      confirmLabel: "Discard draft",
      danger: true,
    });
    if (!yes) return;
    const r = await discardDraftAction(slug, { id: draftId });
    if (!r.ok) return toast.show(r.message, "error");
    ws.markSaved();
    toast.show("Draft discarded.");
    router.push(`/${slug}/prompts/${encodePromptName(prompt)}#drafts`);
  }

  if (conflict) {
    return (
      <>
        <FormError message={error} className="mb-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" />
        <ConflictResolver
          key={conflict.latestVersion}
          conflict={conflict}
          busy={busy}
          onCancel={() => setConflict(null)}
          onResolve={(c) => void resolve(c)}
        />
      </>
    );
  }

  const unchanged = ws.content !== null && diffContent(base.content, ws.content).summary.length === 0;
  return (
    <>
      <SaveBar
        commitMessage={commitMessage}
        onCommitMessage={setCommitMessage}
        commitLabel="Commit message for the merge"
        onSave={() => void merge()}
        saving={busy}
        problems={ws.problems}
        dirty={ws.dirty}
        saveLabel="Merge as new version"
        blockedReason={
          blocked ??
          (unchanged ? `The draft is still identical to version ${base.version}: there is nothing to merge yet.` : null)
        }
        error={error}
        breaking={breaking}
        readOnly={Boolean(blocked)}
      >
        <GatedButton
          variant="secondary"
          onClick={() => void save()}
          disabled={busy || !ws.dirty || ws.problems.length > 0}
          blockedReason={blocked}
        >
          Save draft
        </GatedButton>
        {blocked ? null : (
          <Button variant="ghost" onClick={() => void discard()} disabled={busy}>
            Discard
          </Button>
        )}
      </SaveBar>
      <DraftTabs tab={tab} onTab={setTab} base={base.version} latest={latest.version} />
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "edit" ? (
          <PromptWorkspace ws={ws} promptNames={promptNames} readOnly={Boolean(blocked)} />
        ) : (
          <DraftComparison tab={tab} base={base} latest={latest} content={ws.content} />
        )}
      </div>
      {dialog}
      {leaveDialog}
    </>
  );
}
