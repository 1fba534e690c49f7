"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { encodePromptName, isPromptName, promptNameError } from "@/lib/registry/names";
import { PromptWorkspace } from "@/components/editor/prompt-workspace";
import { SaveBar } from "@/components/editor/save-bar";
import { emptyState, newKey, sentence, skillTemplate, switchType, toCandidate } from "@/components/editor/state";
import { skillFolderName } from "@/lib/registry/skills/skill-files";
import { useUnsavedChangesWarning } from "@/components/editor/unsaved-changes";
import { useField } from "@/components/forms/use-field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { useProjectWorkspace } from "../../_components/use-project-workspace";
import { createPromptAction } from "../_actions";

/** Name, description, tags and type of a new prompt, then the same workspace as the editor. */
export function NewPromptForm({
  slug,
  promptNames,
  blocked,
  folder,
}: {
  slug: string;
  promptNames: string[];
  blocked: string | null;
  folder?: string;
}) {
  const router = useRouter();
  const toast = useToast();
  const fields = { name: useField(folder ? `${folder}/` : ""), description: useField(), tags: useField() };
  const [name, description, tags] = [fields.name.value, fields.description.value, fields.tags.value];
  const [commitMessage, setCommitMessage] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  // Nothing is "wrong" with an empty form: problems show once something was written or saving was tried.
  const [tried, setTried] = useState(false);
  const readOnly = Boolean(blocked);
  const ws = useProjectWorkspace(slug, emptyState("text"), { promptName: name, partials: {} });
  const dirty = ws.dirty || Boolean(name || description || tags);
  const leaveDialog = useUnsavedChangesWarning(dirty && !saving);

  const nameError =
    error?.field === "name"
      ? sentence(error.message)
      : name && !isPromptName(name.trim())
        ? sentence(promptNameError(name.trim()))
        : undefined;
  const problems = [
    ...(name ? [] : ["Give the prompt a name."]),
    ...(nameError && error?.field !== "name" ? ["The name is marked in red above."] : []),
    ...ws.problems,
  ];

  async function create() {
    setSaving(true);
    setError(null);
    const r = await createPromptAction(slug, {
      name,
      description,
      tags: tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      commitMessage,
      content: toCandidate(ws.state).candidate,
    });
    if (!r.ok) {
      setSaving(false);
      return setError({ message: r.message, field: r.field });
    }
    toast.show(`Created ${r.data.prompt.name} (version 1).`);
    router.push(`/${slug}/prompts/${encodePromptName(r.data.prompt.name)}`);
  }

  return (
    <>
      <div className="mb-4 grid grid-cols-1 gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-2">
        <Input
          label="Name"
          id="prompt-name"
          {...fields.name}
          readOnly={readOnly}
          placeholder="support/reply"
          hint="Any text up to 255 characters, without | or HTML tags; case matters. Use / for folders."
          error={nameError}
          required
          autoFocus={!readOnly}
        />
        <Input
          label="Tags"
          id="prompt-tags"
          {...fields.tags}
          readOnly={readOnly}
          placeholder="support, email"
          hint="Comma-separated."
        />
        <div className="md:col-span-2">
          <Input
            label="Description"
            id="prompt-description"
            {...fields.description}
            readOnly={readOnly}
            placeholder="What the prompt is for"
            error={error?.field === "description" ? sentence(error.message) : undefined}
          />
        </div>
        <fieldset className="md:col-span-2">
          <legend className="text-sm font-medium text-slate-700">Type</legend>
          <div className="mt-1 flex flex-wrap gap-4 text-sm">
            {(["text", "chat", "skill"] as const).map((t) => (
              <label key={t} className="flex items-center gap-2">
                <input
                  type="radio"
                  name="prompt-type"
                  value={t}
                  checked={ws.state.type === t}
                  disabled={readOnly}
                  onChange={() =>
                    ws.setState((s) => {
                      const next = switchType(s, t);
                      // A new skill's SKILL.md is named after the last segment of the prompt's name.
                      if (t !== "skill" || s.type === "skill") return next;
                      const folder = skillFolderName(name.trim()) || "my-skill";
                      return { ...next, files: [{ key: newKey(), path: "SKILL.md", text: skillTemplate(folder) }] };
                    })
                  }
                  className="size-4"
                />
                {t === "text"
                  ? "Text: one template"
                  : t === "chat"
                    ? "Chat: a list of messages (system, user, …)"
                    : "Skill: a folder agents install (SKILL.md and its files)"}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <SaveBar
        commitMessage={commitMessage}
        onCommitMessage={setCommitMessage}
        onSave={() => void create()}
        saving={saving}
        problems={problems}
        showProblems={dirty || tried}
        onRevealProblems={() => setTried(true)}
        dirty={dirty}
        saveLabel="Create prompt"
        blockedReason={blocked}
        readOnly={readOnly}
        error={error && error.field !== "name" && error.field !== "description" ? sentence(error.message) : null}
      />
      <PromptWorkspace ws={ws} promptNames={promptNames} readOnly={readOnly} />
      {leaveDialog}
    </>
  );
}
