"use client";

import { useId, useState } from "react";
import { useRouter } from "next/navigation";
import type { CommentDto } from "@/lib/release/reviews/comments";
import { mentionRuns } from "@/lib/release/reviews/mentions";
import { GatedButton } from "@/components/ui/gated-button";
import { Textarea } from "@/components/ui/textarea";
import { Time } from "@/components/ui/time";

/** The page's server action (addCommentAction): a plain result, a refusal in words. */
type Send = (
  slug: string,
  input: { name: string; version: number; reviewId?: string; body: string },
) => Promise<{ ok: true } | { ok: false; message: string }>;

/** A version's or a review's discussion: the comments with their mentions marked, and a box to add one. */
export function CommentThread({
  slug,
  prompt,
  version,
  reviewId,
  comments,
  blocked,
  send,
  label = "Comment",
}: {
  slug: string;
  prompt: string;
  version: number;
  reviewId?: string;
  comments: CommentDto[];
  /** Why this person cannot comment (a viewer), or null. */
  blocked: string | null;
  send: Send;
  label?: string;
}) {
  const router = useRouter();
  const id = useId();
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit() {
    setBusy(true);
    setError(null);
    const r = await send(slug, { name: prompt, version, reviewId, body });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setBody("");
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-2">
      {comments.length ? (
        <ol className="flex flex-col gap-2" aria-label={`Comments on ${prompt} v${version}`}>
          {comments.map((c) => (
            <li key={c.id} className="rounded-md bg-slate-50 px-3 py-2 text-sm">
              <p className="text-xs text-slate-600">
                <span className="font-medium text-slate-800">{c.author}</span> · <Time value={c.createdAt} />
              </p>
              <p className="mt-0.5 whitespace-pre-wrap break-words text-slate-800">
                {mentionRuns(c.body, c.mentions).map((r, i) =>
                  "mention" in r ? (
                    <strong key={i} className="text-brand-700" title={r.mention.email}>
                      @{r.mention.name || r.mention.email}
                    </strong>
                  ) : (
                    <span key={i}>{r.text}</span>
                  ),
                )}
              </p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-xs text-slate-500">No comments yet.</p>
      )}
      {blocked ? null : (
        <form
          className="flex flex-col gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <Textarea
            id={`${id}-body`}
            label={label}
            hint="Mention someone with @ and their e-mail address (or the part before the @)."
            rows={2}
            maxLength={4000}
            value={body}
            onValue={setBody}
            error={error ?? undefined}
          />
          <div>
            <GatedButton type="submit" size="sm" variant="secondary" disabled={busy || !body.trim()}>
              {busy ? "Sending…" : "Add comment"}
            </GatedButton>
          </div>
        </form>
      )}
      {blocked ? <p className="text-xs text-slate-500">{blocked}</p> : null}
    </div>
  );
}
