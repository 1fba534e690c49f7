"use client";

// Pass, fail or a 1–5 score for one output, with an optional comment; keys p, f and 1–5 label at once
// (not while typing the comment). Saving loads the next output.
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { useToast } from "@/components/ui/toast";
import { annotateAction } from "../_actions";

type Label = { label: "pass" | "fail" } | { score: 1 | 2 | 3 | 4 | 5 };

/** What is labelled: a sampled live output, or an evaluation run's output. */
export type LabelTarget = { sampleId: number } | { runItemId: number };

export function LabelForm({ slug, target, blocked }: { slug: string; target: LabelTarget; blocked: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);

  async function save(label: Label) {
    if (busy || blocked) return;
    setBusy(true);
    const r = await annotateAction(slug, { ...target, ...label, ...(comment ? { comment } : {}) });
    setBusy(false);
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Labelled ${"label" in label ? label.label : `${label.score}/5`}.`);
    setComment("");
    router.refresh();
  }

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && ["TEXTAREA", "INPUT", "SELECT"].includes(t.tagName))) return;
      if (e.key === "p") void save({ label: "pass" });
      else if (e.key === "f") void save({ label: "fail" });
      else if (/^[1-5]$/.test(e.key)) void save({ score: Number(e.key) as 1 | 2 | 3 | 4 | 5 });
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  });

  return (
    <form aria-label="Label this output" className="mt-4 flex flex-col gap-3" onSubmit={(e) => e.preventDefault()}>
      <Textarea
        id="label-comment"
        label="Comment (optional)"
        value={comment}
        maxLength={2000}
        rows={2}
        onValue={setComment}
      />
      <div className="flex flex-wrap gap-2">
        <GatedButton size="sm" disabled={busy} blockedReason={blocked} onClick={() => void save({ label: "pass" })}>
          Pass (p)
        </GatedButton>
        <GatedButton
          size="sm"
          variant="secondary"
          disabled={busy}
          blockedReason={blocked}
          onClick={() => void save({ label: "fail" })}
        >
          Fail (f)
        </GatedButton>
        {([1, 2, 3, 4, 5] as const).map((n) => (
          <GatedButton
            key={n}
            size="sm"
            variant="secondary"
            disabled={busy}
            blockedReason={blocked}
            onClick={() => void save({ score: n })}
          >
            {n}
          </GatedButton>
        ))}
      </div>
    </form>
  );
}
