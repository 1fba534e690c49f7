// Each LLM judge of an online rule against people's labels: κ in numbers and words, the warning below 30
// labels or κ < 0.6, the confusion table and the outputs they disagree on.
import type { JudgeAgreement } from "@/lib/evaluation/online/rule-agreement";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { LinkButton } from "@/components/ui/link-button";
import { Table, Td, Th } from "@/components/ui/table";

const num = (x: number | null) => (x === null ? "—" : x.toFixed(2));

/**
 * The "Judge agreement" card of a run or an online rule: what it asks (`description`), the judges' agreement, and
 * the link to label outputs (`labelHref`), or none for a person who may not label.
 */
export function JudgeAgreementCard({
  judges,
  description,
  labelHref,
}: {
  judges: JudgeAgreement[];
  description: string;
  labelHref: string | null;
}) {
  return (
    <Card
      title="Judge agreement"
      id="agreement"
      description={description}
      actions={
        labelHref === null ? null : (
          <LinkButton size="sm" href={labelHref}>
            Label outputs
          </LinkButton>
        )
      }
    >
      <JudgeAgreementList judges={judges} />
    </Card>
  );
}

export function JudgeAgreementList({ judges }: { judges: JudgeAgreement[] }) {
  if (!judges.length)
    return <p className="text-sm text-slate-600">This rule has no LLM judge: nothing to check against people.</p>;
  return (
    <div className="flex flex-col gap-6">
      {judges.map((j) => (
        <section key={j.scorer} aria-label={`Agreement of ${j.scorer}`} data-testid={`agreement-${j.scorer}`}>
          <h3 className="font-mono text-sm font-semibold">{j.scorer}</h3>
          <p className="mt-1 text-sm text-slate-700">
            {j.labels} label{j.labels === 1 ? "" : "s"}
            {j.passFail ? (
              <>
                {" · "}
                <span data-testid="kappa">
                  Cohen&apos;s κ {num(j.passFail.kappa)} ({j.passFail.strength})
                </span>{" "}
                · agree on {(j.passFail.observedAgreement * 100).toFixed(0)}% of {j.passFail.labels} pass/fail labels
              </>
            ) : null}
            {j.scale ? (
              <>
                {" · "}weighted κ {num(j.scale.weightedKappa)}, Spearman ρ {num(j.scale.spearman)} on {j.scale.labels}{" "}
                1–5 scores
              </>
            ) : null}
          </p>
          {j.warning ? (
            <p className="mt-2 text-sm text-amber-800" role="note" data-testid="agreement-warning">
              <Badge tone="amber">check</Badge> {j.warning}
            </p>
          ) : null}
          {j.passFail ? (
            <Table caption={`People (rows) against ${j.scorer} (columns)`}>
              <thead>
                <tr>
                  <Th>People \ judge</Th>
                  {j.passFail.confusion.categories.map((c) => (
                    <Th key={c}>{c}</Th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {j.passFail.confusion.categories.map((c, i) => (
                  <tr key={c}>
                    <Td>{c}</Td>
                    {j.passFail!.confusion.counts[i]!.map((n, k) => (
                      <Td key={k} className="tabular-nums">
                        {n}
                      </Td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : null}
          {j.disagreements.length ? (
            <details className="mt-2 text-sm">
              <summary className="cursor-pointer text-slate-700">
                Where they disagree ({j.disagreements.length}
                {j.disagreements.length === 20 ? " shown" : ""})
              </summary>
              <ul className="mt-2 flex flex-col gap-2">
                {j.disagreements.map((d, i) => (
                  // One output may be labelled by several people, so the position keeps keys apart.
                  <li
                    key={`${d.sampleId !== null ? `s${d.sampleId}` : `r${d.runItemId}`}-${i}`}
                    className="rounded-md border border-slate-200 p-2"
                  >
                    <p className="whitespace-pre-wrap break-words">{d.output}</p>
                    <p className="mt-1 text-xs text-slate-600">
                      People: {d.human} · judge: {d.judge} ({d.reason}){d.comment ? ` · “${d.comment}”` : ""}
                    </p>
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </section>
      ))}
    </div>
  );
}
