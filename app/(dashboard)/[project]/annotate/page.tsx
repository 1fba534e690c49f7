import { encodePromptName } from "@/lib/registry/name-rules";
import { domainContext } from "@/lib/server/wiring/domain";
import { getDb } from "@/lib/server/wiring/db";
import { annotateOverview, type LabelOrigin, type OutputToLabel } from "@/lib/views/annotate-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { VariablesTable } from "@/components/ui/variables-table";
import { LabelForm } from "./_components/label-form";
import { PageHeader } from "@/components/ui/page-header";
import { AlertLine } from "@/components/ui/alert-line";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Label outputs" };

// One output at a time, with the judge's rubric: a person labels it pass/fail or 1–5 and goes on to the
// next. The outputs are an online rule's sampled live outputs (?rule=) or an evaluation run's (?run=);
// the labels are what the judge's agreement (the online page, the run page) is measured against.

/** Where the labels' agreement is shown. */
const backTo = (slug: string, o: LabelOrigin) =>
  o.kind === "rule"
    ? {
        href: `/${slug}/online/${encodePromptName(o.prompt)}?environment=${encodeURIComponent(o.environment)}#agreement`,
        label: `Online evaluation · ${o.prompt} (${o.environment})`,
      }
    : { href: `/${slug}/evaluations/${o.run}#agreement`, label: `Evaluation run · ${o.prompt} v${o.version}` };

const titleOf = (o: OutputToLabel) =>
  o.item
    ? `Item ${o.item.position}${o.item.repetition ? ` (repetition ${o.item.repetition + 1})` : ""} · version ${o.version}`
    : `Output of version ${o.version}`;

export default async function AnnotatePage(props: ProjectPageProps<{ rule?: string; run?: string }>) {
  const { slug, sp: q, ctx } = await projectPage(props);
  const view = await annotateOverview(await domainContext(await getDb(), ctx.actor, ctx.project.id), q);
  const next = view.problem === undefined ? view : null;
  const { you, everyone } = next?.labelled ?? { you: 0, everyone: 0 };
  const blocked = blockedReason(ctx.actor, "annotation.write");

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[next ? backTo(slug, next.origin) : { href: `/${slug}/prompts`, label: "Prompts" }]}
        title="Label outputs"
        descriptionClassName="max-w-prose"
        description={
          <>
            Judge each output as a person would, against the rubric below. Keys: <kbd>p</kbd> pass, <kbd>f</kbd> fail,{" "}
            <kbd>1</kbd>–<kbd>5</kbd> a score. With 30 labels or more, the judge&apos;s agreement with you is shown
            where you came from.
          </>
        }
      />
      <AlertLine message={view.problem} />
      {next ? (
        <>
          <p className="text-sm text-slate-700" data-testid="label-counts">
            {next.origin.kind === "rule"
              ? `You labelled ${you} output${you === 1 ? "" : "s"} of this rule; everyone ${everyone}.`
              : `You labelled ${you} of this run's ${next.outputs} outputs; everyone ${everyone}.`}
          </p>
          {next.rubrics.map((r) => (
            <Card key={r.scorer} title={`Rubric of ${r.scorer}`} id={`rubric-${r.scorer}`}>
              <p className="whitespace-pre-wrap text-sm">{r.rubric}</p>
            </Card>
          ))}
          {next.output ? (
            <Card title={titleOf(next.output)} id="output">
              <VariablesTable value={next.output.input} caption="Input variables" />
              {next.output.expected !== undefined && next.output.expected !== null ? (
                <p className="mt-3 whitespace-pre-wrap break-words text-sm" data-testid="expected">
                  <span className="font-medium">Expected: </span>
                  {typeof next.output.expected === "string"
                    ? next.output.expected
                    : JSON.stringify(next.output.expected)}
                </p>
              ) : null}
              <p
                className="mt-3 whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-sm"
                data-testid="output"
              >
                {next.output.text}
              </p>
              <LabelForm slug={slug} target={next.output.target} blocked={blocked} />
            </Card>
          ) : (
            <p className="text-sm text-slate-600" data-testid="nothing-left">
              {next.origin.kind === "rule"
                ? "Nothing left to label: you have labelled every scored output of this rule."
                : "Nothing left to label: you have labelled every output of this run."}
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
