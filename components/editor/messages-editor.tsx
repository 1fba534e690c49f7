"use client";

import { Button } from "@/components/ui/button";
import type { Marker } from "./diagnostics";
import type { CompletionSource } from "./monaco-setup";
import { MessageButtons, RoleSelect } from "./message-controls";
import { MessageImages } from "./message-images";
import { newKey, type MessageEdit } from "./state";
import { TemplateEditor } from "./template-editor";

/** A chat prompt: one editor per message, each with its role, reorderable and removable. */
export function MessagesEditor({
  messages,
  onChange,
  markers,
  completion,
  readOnly = false,
  errors,
  onStructural,
}: {
  messages: MessageEdit[];
  /** Adding, moving or removing a message, in words, so the page can offer to undo it. */
  onStructural?: (label: string, next: MessageEdit[]) => void;
  /** Receives an update of the list, applied to the newest state (keystrokes may outrun renders). */
  onChange: (update: (messages: MessageEdit[]) => MessageEdit[]) => void;
  markers: Record<string, Marker[]>;
  completion: CompletionSource;
  readOnly?: boolean;
  /** Field errors of the working copy ("template.2.name" for a placeholder's name). */
  errors?: Record<string, string>;
}) {
  const update = (key: string, patch: Partial<MessageEdit>) =>
    onChange((all) => all.map((m) => (m.key === key ? { ...m, ...patch } : m)));
  const structural = (label: string, next: (all: MessageEdit[]) => MessageEdit[]) =>
    onStructural ? onStructural(label, next(messages)) : onChange(next);
  const move = (key: string, by: -1 | 1, label: string) =>
    structural(`${label} moved ${by < 0 ? "up" : "down"}`, (all) => {
      const i = all.findIndex((m) => m.key === key);
      const j = i + by;
      if (i < 0 || j < 0 || j >= all.length) return all;
      const next = [...all];
      const [m] = next.splice(i, 1);
      next.splice(j, 0, m!);
      return next;
    });
  return (
    <ol className="flex flex-col gap-3" aria-label="Messages">
      {messages.map((m, i) => {
        const label = `Message ${i + 1}`;
        return (
          <li key={m.key} className="rounded-lg border border-slate-200 bg-slate-50 p-3">
            <div className="mb-2 flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold text-slate-700">{label}</span>
              <RoleSelect
                label={label}
                hintId={`${m.key}-role-hint`}
                role={m.role}
                readOnly={readOnly}
                onRole={(role) => {
                  // Switching into or out of a placeholder: the text is not a name, nor the name a text.
                  const kindChanged = (role === "placeholder") !== (m.role === "placeholder");
                  update(m.key, kindChanged ? { role, content: "" } : { role });
                }}
              />
              {readOnly ? null : (
                <MessageButtons
                  label={label}
                  first={i === 0}
                  last={i === messages.length - 1}
                  only={messages.length === 1}
                  onMove={(by) => move(m.key, by, label)}
                  onRemove={() =>
                    structural(`${label} (${m.role}) removed`, (all) => all.filter((x) => x.key !== m.key))
                  }
                />
              )}
            </div>
            {m.role === "placeholder" ? (
              <PlaceholderField
                label={label}
                value={m.content}
                readOnly={readOnly}
                onChange={(content) => update(m.key, { content })}
                error={errors?.[`template.${i}.name`]}
              />
            ) : (
              <TemplateEditor
                label={`${label} (${m.role}) template`}
                value={m.content}
                onChange={(content) => update(m.key, { content })}
                markers={markers[`template.messages[${i}]`]}
                completion={completion}
                minHeight={90}
                maxHeight={420}
                readOnly={readOnly}
              />
            )}
            {m.role === "placeholder" ? null : (
              <>
                <MessageImages
                  label={label}
                  images={m.images ?? []}
                  readOnly={readOnly}
                  onChange={(images) => update(m.key, { images })}
                />
                {m.reordered ? (
                  <p className="mt-1 text-xs text-amber-800">
                    This message had text after an image. The editor keeps its text first and its images after; saving
                    saves that order.
                  </p>
                ) : null}
              </>
            )}
          </li>
        );
      })}
      {readOnly ? null : (
        <li>
          <Button
            type="button"
            variant="secondary"
            size="sm"
            onClick={() =>
              structural(`Message ${messages.length + 1} added`, (all) => [
                ...all,
                { key: newKey(), role: all.at(-1)?.role === "user" ? "assistant" : "user", content: "" },
              ])
            }
          >
            + Add message
          </Button>
        </li>
      )}
    </ol>
  );
}

/** A placeholder's name: where the application's list of messages (a conversation history) goes. */
function PlaceholderField({
  label,
  value,
  readOnly,
  onChange,
  error,
}: {
  label: string;
  value: string;
  readOnly: boolean;
  onChange: (value: string) => void;
  error?: string;
}) {
  const id = `${label.replace(/\s+/g, "-").toLowerCase()}-placeholder`;
  return (
    <div className="flex flex-col gap-1 text-sm">
      <label htmlFor={id} className="text-slate-700">
        {label} placeholder name
      </label>
      <input
        id={id}
        value={value}
        readOnly={readOnly}
        onChange={(e) => onChange(e.target.value)}
        placeholder="history"
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help`}
        className="w-64 rounded-md border border-slate-300 bg-white px-2 py-1 font-mono text-sm"
      />
      <p id={`${id}-help`} className="text-xs text-slate-600">
        {error ??
          "Applications pass a list of messages under this name when rendering (a conversation history, examples); they are inserted here as given."}
      </p>
    </div>
  );
}
