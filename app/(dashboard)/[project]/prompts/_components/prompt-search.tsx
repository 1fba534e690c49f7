"use client";

import { useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";

const DEBOUNCE_MS = 250;

/**
 * Filters the list as you type: the query goes into the URL (replacing, not adding, history entries)
 * a moment after the last key, so the page stays shareable and Back leaves the list. Without
 * JavaScript it is a plain GET form.
 */
export function PromptSearch({ slug, current }: { slug: string; current: Record<string, string> & { q: string } }) {
  const router = useRouter();
  const [value, setValue] = useState(current.q);
  const [pending, startTransition] = useTransition();
  const input = useRef<HTMLInputElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // The URL changed from elsewhere (Clear filters, Back): show its query unless the reader is typing.
  useEffect(() => {
    if (document.activeElement !== input.current) setValue(current.q);
  }, [current.q]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const go = (q: string) => {
    // The other filters stay; the page goes back to the first.
    const params = new URLSearchParams(Object.entries({ ...current, q: q.trim() }).filter(([, v]) => v));
    const s = params.toString();
    startTransition(() => router.replace(`/${slug}/prompts${s ? `?${s}` : ""}`, { scroll: false }));
  };

  return (
    <form
      role="search"
      action={`/${slug}/prompts`}
      className="flex flex-col gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        clearTimeout(timer.current);
        go(value);
      }}
    >
      <label htmlFor="prompt-search" className="flex items-center justify-between text-sm font-medium text-slate-700">
        Search
        <span className="text-xs font-normal text-slate-500" aria-live="polite">
          {pending ? "Searching…" : ""}
        </span>
      </label>
      <input
        ref={input}
        id="prompt-search"
        name="q"
        type="search"
        value={value}
        onChange={(e) => {
          const q = e.target.value;
          setValue(q);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => go(q), DEBOUNCE_MS);
        }}
        placeholder="Names, descriptions, text"
        autoComplete="off"
        className="rounded-md border border-slate-300 px-3 py-2 text-sm"
      />
      {Object.entries(current).map(([k, v]) =>
        k !== "q" && v ? <input key={k} type="hidden" name={k} value={v} /> : null,
      )}
    </form>
  );
}
