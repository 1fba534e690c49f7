// What an editor looks like before Monaco has loaded: the same box, gutter, font and line height,
// showing the text itself (read only), so nothing moves or flashes empty when the editor arrives.

export const LINE_HEIGHT = 19;
export const PADDING = 8;

/** The height Monaco will need for `text` (unwrapped), within [min, max]. */
export function estimateHeight(text: string, min: number, max: number): number {
  const lines = Math.max(1, text.split("\n").length);
  return Math.min(max, Math.max(min, lines * LINE_HEIGHT + 2 * PADDING + 2));
}

/** The text with line numbers, laid out like the editor; covers the editor's box until it is ready. */
export function EditorSkeleton({ text, label, lines: maxLines = 60 }: { text: string; label: string; lines?: number }) {
  const lines = text.split("\n").slice(0, maxLines);
  return (
    <div
      className="absolute inset-0 overflow-hidden bg-white font-mono text-[13px] text-slate-800"
      style={{ lineHeight: `${LINE_HEIGHT}px`, paddingTop: PADDING }}
    >
      <span role="status" className="sr-only">
        Loading the editor for {label}…
      </span>
      <div aria-hidden>
        {lines.map((line, i) => (
          <div key={i} className="flex">
            <span className="w-[4.5ch] shrink-0 pr-[1.5ch] text-right text-slate-500 select-none">{i + 1}</span>
            <span className="min-w-0 whitespace-pre-wrap break-words pl-[1ch]">{line || " "}</span>
          </div>
        ))}
      </div>
      {/* The words stay still and dark enough to read (slate-600 on slate-100, 6.9:1); only the dot pulses. Pulsing
          the words took their contrast down to half while a slow machine loaded the editor. */}
      <span
        aria-hidden
        className="absolute right-2 top-2 inline-flex items-center gap-1 rounded bg-slate-100 px-1.5 py-0.5 font-sans text-[11px] text-slate-600"
      >
        <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-slate-400" />
        Loading editor…
      </span>
    </div>
  );
}

/** Grey bars standing for two sides of a diff, at the height the diff will take. */
export function DiffSkeleton({ lines }: { lines: number }) {
  const widths = ["w-3/4", "w-1/2", "w-5/6", "w-2/3", "w-1/3", "w-4/5"];
  const rows = Array.from({ length: Math.max(2, Math.min(lines, 24)) }, (_, i) => widths[i % widths.length]);
  const side = (
    <div className="flex flex-col" style={{ gap: LINE_HEIGHT - 10, paddingTop: PADDING }}>
      {rows.map((w, i) => (
        <div key={i} className="flex items-center gap-3">
          <span className="h-2.5 w-4 shrink-0 rounded bg-slate-100" />
          <span className={`h-2.5 rounded bg-slate-200/80 ${w}`} />
        </div>
      ))}
    </div>
  );
  return (
    <div aria-hidden className="absolute inset-0 grid animate-pulse grid-cols-2 gap-4 overflow-hidden bg-white px-3">
      {side}
      {side}
    </div>
  );
}
