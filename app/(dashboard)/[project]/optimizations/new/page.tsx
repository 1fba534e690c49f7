import { notFound } from "next/navigation";
import Link from "next/link";
import { listDatasets } from "@/lib/evaluation/datasets";
import { listOptimizations } from "@/lib/optimization";
import { getPrompt } from "@/lib/registry/prompts";
import { getDb } from "@/lib/server/wiring/db";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { encodePromptName } from "@/lib/registry/name-rules";
import { NewOptimizationForm } from "../_components/new-optimization-form";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Optimize a version" };

export default async function NewOptimizationPage(props: ProjectPageProps<{ prompt?: string; version?: string }>) {
  const { slug, sp, ctx } = await projectPage(props);
  const db = await getDb();
  const prompt = sp.prompt ? await getPrompt(db, ctx.project.id, sp.prompt).catch(() => null) : null;
  if (!prompt) notFound();
  const version = Math.min(prompt.latestVersion, Math.max(1, Number(sp.version) || prompt.latestVersion));
  const datasets = (await listDatasets(db, ctx.project.id)).map((d) => ({
    id: d.id,
    name: d.name,
    prompt: d.prompt,
    items: d.items,
  }));
  const earlier = await listOptimizations(db, ctx.project.id, prompt.id, 10);
  const blocked = blockedReason(ctx.actor, "evaluation.run");
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[
          { href: `/${slug}/prompts`, label: "Prompts" },
          { href: `/${slug}/prompts/${encodePromptName(prompt.name)}`, label: prompt.name },
        ]}
        title={`Optimize ${prompt.name} v${version}`}
        descriptionClassName="max-w-prose"
        description="Searches for a better instruction and few-shot examples on the dataset's train items (GEPA, with Ax), within the budget, then compares the best with this version on held-out items. When it is significantly better, the result is a draft for you to review; otherwise it says that it found nothing better. Nothing is saved as a version or deployed."
      />
      <Card title="Optimization" id="optimization">
        {blocked ? (
          <p className="text-sm text-slate-600">{blocked}</p>
        ) : (
          <NewOptimizationForm slug={slug} prompt={prompt.name} version={version} datasets={datasets} />
        )}
      </Card>
      {earlier.length ? (
        <Card title="Earlier optimizations" id="earlier">
          <ul className="flex flex-col gap-1 text-sm" aria-label="Earlier optimizations">
            {earlier.map((o) => (
              <li key={o.id}>
                <Link className="font-medium text-brand-700 hover:underline" href={`/${slug}/optimizations/${o.id}`}>
                  v{o.version} · {o.status.replace("_", " ")}
                  {o.outcome === "no_improvement" ? " (no improvement found)" : ""} ·{" "}
                  {new Date(o.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC
                </Link>
                {o.comparison ? <span className="text-slate-600"> · {o.comparison.verdict}</span> : null}
              </li>
            ))}
          </ul>
        </Card>
      ) : null}
    </div>
  );
}
