"use client";

// Fields that keep what is being typed ("0.", a half-written line list, unfinished JSON) while the
// spec they edit holds only what that text means so far. Each resyncs its text when the value changes
// from elsewhere (a preset, the JSON view, a reorder) to something the text does not already mean.
import { useState } from "react";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

type Common = { id: string; label: string; hint?: string; error?: string };

const numberText = (v: unknown) => (v === undefined ? "" : String(v));

/** Text → number; empty → undefined (the default applies); anything else stays text for the check to name. */
function readNumber(text: string): unknown {
  if (!text.trim()) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

export function NumberField({
  value,
  onChange,
  placeholder,
  ...field
}: Common & { value: unknown; onChange: (v: unknown) => void; placeholder?: string }) {
  const [text, setText] = useState(numberText(value));
  const [seen, setSeen] = useState(value);
  if (!Object.is(seen, value)) {
    setSeen(value);
    if (!Object.is(readNumber(text), value)) setText(numberText(value));
  }
  return (
    <Input
      {...field}
      inputMode="decimal"
      value={text}
      placeholder={placeholder}
      onChange={(e) => {
        setText(e.target.value);
        onChange(readNumber(e.target.value));
      }}
    />
  );
}

const linesOf = (v: unknown): string[] =>
  typeof v === "string" ? [v] : Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : [];
const readLines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/** One entry per line; an empty list is left out of the spec (the option's default applies). */
export function LinesField({
  value,
  onChange,
  keepEmpty = false,
  ...field
}: Common & { value: unknown; onChange: (v: string[] | undefined) => void; keepEmpty?: boolean }) {
  const [text, setText] = useState(linesOf(value).join("\n"));
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    if (JSON.stringify(readLines(text)) !== JSON.stringify(linesOf(value))) setText(linesOf(value).join("\n"));
  }
  return (
    <Textarea
      {...field}
      rows={Math.min(8, Math.max(2, text.split("\n").length + 1))}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const lines = readLines(e.target.value);
        onChange(lines.length || keepEmpty ? lines : undefined);
      }}
    />
  );
}

/** A JSON value (a JSON Schema); text that does not parse is named and leaves the last valid value. */
export function JsonField({
  value,
  onChange,
  error,
  ...field
}: Common & { value: unknown; onChange: (v: unknown) => void }) {
  const [text, setText] = useState(JSON.stringify(value ?? {}, null, 2));
  const [seen, setSeen] = useState(value);
  const [invalid, setInvalid] = useState<string | null>(null);
  if (seen !== value) {
    setSeen(value);
    let same = false;
    try {
      same = JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
    } catch {
      same = false;
    }
    if (!same) {
      setText(JSON.stringify(value ?? {}, null, 2));
      setInvalid(null);
    }
  }
  return (
    <Textarea
      {...field}
      className="font-mono text-xs"
      rows={Math.min(14, Math.max(3, text.split("\n").length + 1))}
      value={text}
      error={invalid ?? error}
      onChange={(e) => {
        setText(e.target.value);
        try {
          onChange(JSON.parse(e.target.value));
          setInvalid(null);
        } catch (err) {
          setInvalid(`Not valid JSON (${(err as Error).message}); the last valid value is kept.`);
        }
      }}
    />
  );
}
