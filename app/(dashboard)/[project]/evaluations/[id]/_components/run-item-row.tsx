// One row of a run's results, rendered on the server like the page.
import type { runOverview } from "@/lib/views/run-overview";
import { Badge } from "@/components/ui/badge";
import { Td } from "@/components/ui/table";
import { VariablesTable } from "@/components/ui/variables-table";

type Item = NonNullable<Awaited<ReturnType<typeof runOverview>>>["page"]["items"][number];

// Long values are shown cut (a page of 20 MB outputs was 84 MB of HTML): outputs come cut from the
// database with their length, and link to the whole; inputs and expected answers are cut here.
export const PREVIEW = 2000;
const show = (v: unknown) => {
  const text = v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v);
  return text.length > PREVIEW ? `${text.slice(0, PREVIEW)}… (${text.length.toLocaleString("en")} characters)` : text;
};

const num = (x: number | null) => (x === null ? "—" : x.toFixed(2));

/** An item's input, output (cut, with a link to the whole), expected answer, and scores with their reasons. */
export function RunItemRow({ it, href, repetitions }: { it: Item; href: string; repetitions: number }) {
  return (
    <tr data-testid="run-item">
      <Td label="Input" className="max-w-xs">
        <VariablesTable value={it.input} caption="Input variables" max={PREVIEW} />
      </Td>
      <Td label="Output" className="max-w-sm whitespace-pre-wrap break-words">
        {it.error ? <span className="text-red-800">{it.error}</span> : it.output}
        {!it.error && it.outputLength !== null && it.outputLength > PREVIEW ? (
          <a className="mt-1 block text-xs underline" href={href}>
            … show all {it.outputLength.toLocaleString("en")} characters
          </a>
        ) : null}
        <span className="mt-1 block text-xs text-slate-600">
          {it.latencyMs !== null ? `${it.latencyMs} ms · ` : ""}
          {it.tokens.input}/{it.tokens.output} tokens
        </span>
      </Td>
      <Td label="Expected" className="max-w-xs whitespace-pre-wrap break-words">
        {show(it.expected)}
      </Td>
      <Td label="Scores" className="min-w-56">
        <p className="mb-1 flex items-center gap-1.5">
          <Badge tone={it.passed ? "green" : "red"}>{it.passed ? "pass" : "fail"}</Badge>
          <span className="font-semibold">{it.score === null ? "—" : it.score.toFixed(2)}</span>
          {repetitions > 1 ? <span className="text-xs text-slate-600">repetition {it.repetition + 1}</span> : null}
        </p>
        {it.spread && it.spread.n > 1 ? (
          <p className="mb-1 text-xs text-slate-700" data-testid="item-spread">
            Item over {it.spread.n} repetitions: mean {num(it.spread.mean)}, sd {num(it.spread.sd)}, range{" "}
            {num(it.spread.min)}–{num(it.spread.max)}, passed {it.spread.passed}/{it.spread.n}
          </p>
        ) : null}
        <ul className="flex flex-col gap-1 text-xs">
          {it.scores.map((s) => (
            <li key={s.name}>
              <span className="font-mono">{s.name}</span> {s.error ? "error" : s.score.toFixed(2)}
              <span className="block text-slate-600">{s.error ?? s.reason}</span>
            </li>
          ))}
        </ul>
      </Td>
    </tr>
  );
}
