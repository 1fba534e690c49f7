import { domainContext } from "@/lib/server/wiring/domain";
import { newRunFormData } from "@/lib/evaluation/runs/form-data";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { NewRunForm } from "../_components/new-run-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "New evaluation run" };

export default async function NewRunPage(
  props: ProjectPageProps<{ prompt?: string; version?: string; dataset?: string }>,
) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const data = await newRunFormData(await domainContext(db, ctx.actor, ctx.project.id));
  const blocked = blockedReason(ctx.actor, "evaluation.run");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="New evaluation run"
        descriptionClassName="max-w-prose"
        description="Runs the version over every item of the dataset's current version through a model connection, then scores each output."
      />
      <Card title="Run" id="run">
        {blocked ? (
          <p className="text-sm text-slate-600">{blocked}</p>
        ) : (
          <NewRunForm
            slug={slug}
            {...data}
            initial={{
              prompt: sp.prompt ?? "",
              version: sp.version ? Number(sp.version) || undefined : undefined,
              dataset: data.datasets.find((d) => d.id === sp.dataset || d.name === sp.dataset)?.id ?? "",
            }}
          />
        )}
      </Card>
    </div>
  );
}
