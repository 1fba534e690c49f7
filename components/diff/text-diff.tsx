import { diffWords } from "diff";

/** An inline word diff of two texts: removed words struck through in red, added words in green. */
export function TextDiff({ before, after }: { before: string; after: string }) {
  const parts = diffWords(before, after);
  return (
    <span className="whitespace-pre-wrap break-words">
      {parts.map((p, i) =>
        p.added ? (
          <ins key={i} className="bg-emerald-100 text-emerald-900 no-underline">
            {p.value}
          </ins>
        ) : p.removed ? (
          <del key={i} className="bg-red-100 text-red-900">
            {p.value}
          </del>
        ) : (
          <span key={i}>{p.value}</span>
        ),
      )}
    </span>
  );
}
