import Link from "next/link";
import { nextToLabel } from "@/lib/evaluation/online/annotations";
import { isAppError } from "@/lib/errors";
import { encodePromptName } from "@/lib/registry/name-rules";
import { getDb } from "@/lib/server/db";
import { requireProject } from "@/lib/server/session";
import { blockedReason } from "@/components/permissions";
import { Card } from "@/components/ui/card";
import { VariablesTable } from "@/components/ui/variables-table";
import { LabelForm } from "./_components/label-form";

export const metadata = { title: "Label outputs" };

// One sampled live output at a time, with the judge's rubric: a person labels it pass/fail or 1–5 and
// goes on to the next. The labels are what the judge's agreement (the online page) is measured against.
export default async function AnnotatePage({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams: Promise<{ rule?: string }>;
}) {
  const { project: slug } = await params;
  const { rule } = await searchParams;
  const ctx = await requireProject(slug);
  const db = await getDb();
  let next: Awaited<ReturnType<typeof nextToLabel>> | null = null;
  let problem: string | null = rule ? null : "Open this page from an online evaluation rule with an LLM judge.";
  if (rule)
    try {
      next = await nextToLabel({ db, actor: ctx.actor, projectId: ctx.project.id }, rule);
    } catch (e) {
      if (!isAppError(e)) throw e;
      problem = e.message;
    }
  const blocked = blockedReason(ctx.actor, "annotation.write");

  return (
    <div className="flex flex-col gap-6">
      <div>
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          {next ? (
            <Link
              href={`/${slug}/online/${encodePromptName(next.prompt)}?environment=${encodeURIComponent(next.environment)}#agreement`}
              className="hover:underline"
            >
              Online evaluation · {next.prompt} ({next.environment})
            </Link>
          ) : (
            <Link href={`/${slug}/prompts`} className="hover:underline">
              Prompts
            </Link>
          )}
        </nav>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Label outputs</h1>
        <p className="mt-1 max-w-prose text-sm text-slate-600">
          Judge each output as a person would, against the rubric below. Keys: <kbd>p</kbd> pass, <kbd>f</kbd> fail,{" "}
          <kbd>1</kbd>–<kbd>5</kbd> a score. With 30 labels or more, the online page shows how far the LLM judge agrees
          with you.
        </p>
      </div>
      {problem ? (
        <p role="alert" className="text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      {next ? (
        <>
          <p className="text-sm text-slate-700" data-testid="label-counts">
            You labelled {next.labelled.you} output{next.labelled.you === 1 ? "" : "s"} of this rule; everyone{" "}
            {next.labelled.everyone}.
          </p>
          {next.rubrics.map((r) => (
            <Card key={r.scorer} title={`Rubric of ${r.scorer}`} id={`rubric-${r.scorer}`}>
              <p className="whitespace-pre-wrap text-sm">{r.rubric}</p>
            </Card>
          ))}
          {next.sample ? (
            <Card title={`Output of version ${next.sample.version}`} id="output">
              <VariablesTable value={next.sample.input} caption="Input variables" />
              <p
                className="mt-3 whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-sm"
                data-testid="output"
              >
                {next.sample.output}
              </p>
              <LabelForm slug={slug} sampleId={next.sample.id} blocked={blocked} />
            </Card>
          ) : (
            <p className="text-sm text-slate-600" data-testid="nothing-left">
              Nothing left to label: you have labelled every scored output of this rule.
            </p>
          )}
        </>
      ) : null}
    </div>
  );
}
