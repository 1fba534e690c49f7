"use client";

import { messageRoles, type MessageRole } from "@/lib/registry/content";
import { Button } from "@/components/ui/button";
import type { Marker } from "./diagnostics";
import type { CompletionSource } from "./monaco-setup";
import { newKey, type MessageDraft } from "./state";
import { TemplateEditor } from "./template-editor";

/** A chat prompt: one editor per message, each with its role, reorderable and removable. */
export function MessagesEditor({
  messages,
  onChange,
  markers,
  completion,
  readOnly = false,
}: {
  messages: MessageDraft[];
  onChange: (messages: MessageDraft[]) => void;
  markers: Record<string, Marker[]>;
  completion: CompletionSource;
  readOnly?: boolean;
}) {
  const update = (i: number, patch: Partial<MessageDraft>) => onChange(messages.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const move = (i: number, by: -1 | 1) => {
    const next = [...messages];
    const [m] = next.splice(i, 1);
    next.splice(i + by, 0, m!);
    onChange(next);
  };
  return (
    <ol className="flex flex-col gap-3" aria-label="Messages">
      {messages.map((m, i) => {
        const label = `Message ${i + 1}`;
        return (
          <li key={m.key} className="rounded-lg border border-slate-200 bg-slate-50 p-3">
            <div className="mb-2 flex flex-wrap items-center gap-2">
              <span className="text-sm font-semibold text-slate-700">{label}</span>
              <label className="flex items-center gap-1.5 text-sm text-slate-700">
                <span className="sr-only">{label} role</span>
                <select
                  value={m.role}
                  disabled={readOnly}
                  onChange={(e) => update(i, { role: e.target.value as MessageRole })}
                  className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                  aria-label={`${label} role`}
                >
                  {messageRoles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
              </label>
              {readOnly ? null : (
                <div className="ml-auto flex gap-1">
                  <Button type="button" size="sm" variant="ghost" disabled={i === 0} onClick={() => move(i, -1)} aria-label={`Move ${label.toLowerCase()} up`}>
                    ↑ Up
                  </Button>
                  <Button type="button" size="sm" variant="ghost" disabled={i === messages.length - 1} onClick={() => move(i, 1)} aria-label={`Move ${label.toLowerCase()} down`}>
                    ↓ Down
                  </Button>
                  <Button type="button" size="sm" variant="ghost" disabled={messages.length === 1} onClick={() => onChange(messages.filter((_, j) => j !== i))} aria-label={`Remove ${label.toLowerCase()}`}>
                    Remove
                  </Button>
                </div>
              )}
            </div>
            <TemplateEditor
              label={`${label} (${m.role}) template`}
              value={m.content}
              onChange={(content) => update(i, { content })}
              markers={markers[`template.messages[${i}]`]}
              completion={completion}
              minHeight={90}
              maxHeight={420}
              readOnly={readOnly}
            />
          </li>
        );
      })}
      {readOnly ? null : (
        <li>
          <Button
            type="button"
            variant="secondary"
            size="sm"
            onClick={() => onChange([...messages, { key: newKey(), role: messages.at(-1)?.role === "user" ? "assistant" : "user", content: "" }])}
          >
            + Add message
          </Button>
        </li>
      )}
    </ol>
  );
}
