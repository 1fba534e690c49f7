import { nextToLabel } from "@/lib/evaluation/online/annotations";
import { nextRunItemToLabel } from "@/lib/evaluation/runs/labels";
import { isAppError } from "@/lib/errors";
import { encodePromptName } from "@/lib/registry/name-rules";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/permissions";
import { Card } from "@/components/ui/card";
import { VariablesTable } from "@/components/ui/variables-table";
import { LabelForm, type LabelTarget } from "./_components/label-form";
import { PageHeader } from "@/components/ui/page-header";

export const metadata = { title: "Label outputs" };

// One output at a time, with the judge's rubric: a person labels it pass/fail or 1–5 and goes on to the
// next. The outputs are an online rule's sampled live outputs (?rule=) or an evaluation run's (?run=);
// the labels are what the judge's agreement (the online page, the run page) is measured against.
type Shown = {
  back: { href: string; label: string };
  counts: string;
  rubrics: { scorer: string; rubric: string }[];
  output: { title: string; input: unknown; expected?: unknown; text: string; target: LabelTarget } | null;
  done: string;
};

async function shown(
  slug: string,
  ctx: Parameters<typeof nextToLabel>[0],
  q: { rule?: string; run?: string },
): Promise<Shown> {
  if (q.rule) {
    const n = await nextToLabel(ctx, q.rule);
    return {
      back: {
        href: `/${slug}/online/${encodePromptName(n.prompt)}?environment=${encodeURIComponent(n.environment)}#agreement`,
        label: `Online evaluation · ${n.prompt} (${n.environment})`,
      },
      counts: `You labelled ${n.labelled.you} output${n.labelled.you === 1 ? "" : "s"} of this rule; everyone ${n.labelled.everyone}.`,
      rubrics: n.rubrics,
      output: n.sample
        ? {
            title: `Output of version ${n.sample.version}`,
            input: n.sample.input,
            text: n.sample.output,
            target: { sampleId: n.sample.id },
          }
        : null,
      done: "Nothing left to label: you have labelled every scored output of this rule.",
    };
  }
  const n = await nextRunItemToLabel(ctx, q.run!);
  return {
    back: { href: `/${slug}/evaluations/${n.run}#agreement`, label: `Evaluation run · ${n.prompt} v${n.version}` },
    counts: `You labelled ${n.labelled.you} of this run's ${n.outputs} outputs; everyone ${n.labelled.everyone}.`,
    rubrics: n.rubrics,
    output: n.item
      ? {
          title: `Item ${n.item.position}${n.item.repetition ? ` (repetition ${n.item.repetition + 1})` : ""} · version ${n.version}`,
          input: n.item.input,
          expected: n.item.expected,
          text: n.item.output,
          target: { runItemId: n.item.id },
        }
      : null,
    done: "Nothing left to label: you have labelled every output of this run.",
  };
}

export default async function AnnotatePage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ rule?: string; run?: string }>;
}) {
  const { project: slug } = await params;
  const q = await searchParams;
  const ctx = await requireProject(slug);
  const db = await getDb();
  let next: Shown | null = null;
  let problem: string | null =
    q.rule || q.run ? null : "Open this page from an online evaluation rule or an evaluation run with an LLM judge.";
  if (q.rule || q.run)
    try {
      next = await shown(slug, { db, actor: ctx.actor, projectId: ctx.project.id }, q);
    } catch (e) {
      if (!isAppError(e)) throw e;
      problem = e.message;
    }
  const blocked = blockedReason(ctx.actor, "annotation.write");

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[next?.back ?? { href: `/${slug}/prompts`, label: "Prompts" }]}
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
      {problem ? (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      {next ? (
        <>
          <p className="text-sm text-slate-700" data-testid="label-counts">
            {next.counts}
          </p>
          {next.rubrics.map((r) => (
            <Card key={r.scorer} title={`Rubric of ${r.scorer}`} id={`rubric-${r.scorer}`}>
              <p className="whitespace-pre-wrap text-sm">{r.rubric}</p>
            </Card>
          ))}
          {next.output ? (
            <Card title={next.output.title} id="output">
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
              {next.done}
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
