import { notFound } from "next/navigation";
import { isAppError } from "@/lib/errors";
import { bundleOverview } from "@/lib/release/bundles/bundle-reads";
import { encodePromptName } from "@/lib/registry/name-rules";
import { bundleRolloutsOverview } from "@/lib/views/bundle-rollouts-overview";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { BundleReviewsList } from "../_components/bundle-page-sections";
import { BundleRelease } from "../_components/bundle-release";
import { BundleRollback } from "../_components/bundle-rollback";
import { rolloutBlocked } from "@/components/blocked-reasons";
import { BundleRolloutsCard } from "../_components/bundle-rollouts-card";
import type { NamedPageProps } from "@/lib/server/wiring/page-props";

export async function generateMetadata({ params }: Pick<NamedPageProps, "params">) {
  return { title: `Bundle ${(await params).name.map(decodeURIComponent).join("/")}` };
}

export default async function BundlePage({ params }: Pick<NamedPageProps, "params">) {
  const { project: slug, name: segments } = await params;
  const name = segments.map(decodeURIComponent).join("/");
  const ctx = await requireProject(slug);
  const db = await getDb();
  const o = await bundleOverview(db, ctx.project.id, name).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") notFound();
    throw e;
  });
  const { bundle } = o;
  const rollouts = await bundleRolloutsOverview(db, ctx.project.id, bundle.name);
  const targets = Object.fromEntries(
    rollouts.map((r) => {
      const env = bundle.environments.find((e) => e.name === r.environment);
      return [
        r.environment,
        {
          steps: r.steps,
          running: r.active !== null,
          blocked: rolloutBlocked(ctx.actor, { protected: env?.protected ?? true }),
        },
      ];
    }),
  );
  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        breadcrumb={[
          { href: `/${slug}/prompts`, label: "Prompts" },
          { href: `/${slug}/bundles`, label: "Bundles" },
        ]}
        title={<>Bundle {bundle.name}</>}
        description={`${bundle.prompts.length} prompts released as one. Created by ${bundle.createdBy || "someone"}.`}
      />
      <Card title="What each environment serves" id="serves">
        <Table caption="Members by environment">
          <thead>
            <tr>
              <Th>Prompt</Th>
              {bundle.environments.map((e) => (
                <Th key={e.name}>{e.name}</Th>
              ))}
            </tr>
          </thead>
          <tbody>
            {bundle.prompts.map((p) => (
              <tr key={p} data-member={p}>
                <Td>
                  <a className="text-brand-700 hover:underline" href={`/${slug}/prompts/${encodePromptName(p)}`}>
                    {p}
                  </a>
                </Td>
                {bundle.environments.map((e) => (
                  <Td key={e.name} data-env={e.name}>
                    {e.serves[p] === null ? "—" : `v${e.serves[p]}`}
                  </Td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card
        title="Release"
        id="release"
        description="Choose a version of every member; each member's release plan must be met, and they go live together."
      >
        <BundleRelease
          slug={slug}
          bundle={bundle.name}
          environments={bundle.environments.map((e) => ({ name: e.name, protected: e.protected, serves: e.serves }))}
          versions={o.versions}
          actor={ctx.actor}
          rollouts={targets}
        />
      </Card>
      <BundleRolloutsCard
        slug={slug}
        bundle={bundle.name}
        actor={ctx.actor}
        environments={bundle.environments}
        rollouts={rollouts}
      />
      <Card
        title="Reviews"
        id="reviews"
        description="One review covers every member a release changes; an approver decides it on the Reviews page."
      >
        <BundleReviewsList slug={slug} reviews={o.reviews} />
      </Card>
      <Card title="History" id="history" description="Every release and rollback of the bundle, newest first.">
        <div className="flex flex-col gap-4">
          {bundle.environments.map((e) => (
            <section key={e.name} aria-label={`History in ${e.name}`} data-testid={`bundle-history-${e.name}`}>
              <div className="flex items-center justify-between gap-2">
                <h3 className="font-medium">{e.name}</h3>
                <BundleRollback
                  slug={slug}
                  bundle={bundle.name}
                  environment={e.name}
                  possible={e.history.length > 0}
                  blocked={blockedReason(ctx.actor, "release.rollback")}
                />
              </div>
              {e.history.length ? (
                <ul className="mt-1 flex flex-col gap-1 text-sm">
                  {e.history.map((r) => (
                    <li key={r.id} data-release={r.id}>
                      {r.action === "rollback" ? "Rolled back to" : "Released"}{" "}
                      {Object.entries(r.versions)
                        .map(([n, v]) => `${n} v${v}`)
                        .join(", ")}{" "}
                      <span className="text-slate-500">
                        by {r.by} · <Time value={r.at} />
                        {r.reason ? ` · “${r.reason}”` : ""}
                      </span>
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="text-sm text-slate-500">Never released here.</p>
              )}
            </section>
          ))}
        </div>
      </Card>
    </div>
  );
}
