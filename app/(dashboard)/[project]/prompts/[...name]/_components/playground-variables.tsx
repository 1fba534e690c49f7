"use client";

import { ImageValueInput } from "@/components/prompt/image-value-input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { PlaygroundVariable } from "./playground-values";

const optional = (v: PlaygroundVariable) => `${v.name}${v.required && v.default === undefined ? "" : " (optional)"}`;

/** One field per variable the version declares, by its type; the typed text is kept by name. */
export function PlaygroundVariables({
  variables,
  text,
  onText,
}: {
  variables: PlaygroundVariable[];
  text: Record<string, string>;
  onText: (name: string, value: string) => void;
}) {
  if (!variables.length) return <p className="text-sm text-slate-600">This version declares no variables.</p>;
  return variables.map((v) =>
    v.type === "image" ? (
      <ImageValueInput
        key={v.name}
        id={`pg-${v.name}`}
        label={optional(v)}
        value={text[v.name] ?? ""}
        hint={v.description}
        onChange={(value) => onText(v.name, value)}
      />
    ) : v.type === "boolean" ? (
      <Select
        key={v.name}
        label={v.name}
        id={`pg-${v.name}`}
        value={text[v.name] ?? ""}
        onValue={(value) => onText(v.name, value)}
        hint={v.description}
      >
        <option value="">{v.default !== undefined ? `default (${String(v.default)})` : "not set"}</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </Select>
    ) : (
      <Textarea
        key={v.name}
        label={optional(v)}
        id={`pg-${v.name}`}
        rows={v.type === "json" ? 4 : 2}
        value={text[v.name] ?? ""}
        placeholder={
          v.default !== undefined
            ? `default: ${typeof v.default === "string" ? v.default : JSON.stringify(v.default)}`
            : v.type === "json"
              ? "JSON"
              : undefined
        }
        onValue={(value) => onText(v.name, value)}
        hint={v.description}
        className={v.type === "json" ? "font-mono text-xs" : ""}
      />
    ),
  );
}
