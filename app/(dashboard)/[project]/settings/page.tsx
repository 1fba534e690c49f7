import { domainContext } from "@/lib/server/wiring/domain";
import { mailConfigured } from "@/lib/server/wiring/mail";
import { getDb } from "@/lib/server/wiring/db";
import { env } from "@/lib/server/wiring/env";
import { settingsOverview } from "@/lib/views/settings-overview";
import { blockedReason } from "@/components/blocked-reasons";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ApiKeysPanel } from "./_components/api-keys-panel";
import { ConnectionsPanel } from "./_components/connections-panel";
import { EnvironmentsPanel } from "./_components/environments-panel";
import { PricesPanel } from "./_components/prices-panel";
import { MembersPanel } from "./_components/members-panel";
import { WebhooksPanel } from "./_components/webhooks-panel";
import { ImportPanel } from "./_components/import-panel";
import { GateStatusPanel } from "./_components/gate-status-panel";
import { NewProjectDefaults, ProjectCard } from "./_components/settings-sections";
import { projectPage, type ProjectPageProps } from "@/lib/server/wiring/page-props";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: ProjectPageProps) {
  const { slug, ctx } = await projectPage({ params });
  const db = await getDb();
  const keysBlocked = blockedReason(ctx.actor, "apikey.manage");
  const membersBlocked = blockedReason(ctx.actor, "member.manage");
  const webhooksBlocked = blockedReason(ctx.actor, "webhook.manage");
  const connectionsBlocked = blockedReason(ctx.actor, "connection.manage");
  const o = await settingsOverview(await domainContext(db, ctx.actor, ctx.project.id));
  const { keys, connections } = o;
  const llmBaseUrl = env().LLM_BASE_URL ?? null;

  return (
    <div className="flex flex-col gap-6">
      <PageHeader
        title="Settings"
        description={
          <>
            Who can do what in {ctx.project.name}, the keys applications use, the rules for each environment, and where
            Lectern sends events.
          </>
        }
      />
      <ProjectCard project={ctx.project} />
      <Card title="Members and roles" id="members" description={membersBlocked ?? undefined}>
        <MembersPanel
          slug={slug}
          me={ctx.user.id}
          blocked={membersBlocked}
          mail={mailConfigured()}
          members={o.members}
          invitations={o.invitations}
        />
      </Card>
      <Card
        title="API keys"
        id="api-keys"
        description={
          <>
            Applications send a key as “Authorization: Bearer …”. Runtime keys only fetch prompts; admin keys can change
            everything. What each endpoint takes and answers:{" "}
            {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- a route handler's page (not the app's): loaded whole */}
            <a href="/api/v1/docs" className="text-blue-700 underline">
              the API reference
            </a>
            .
          </>
        }
      >
        {keys ? (
          <ApiKeysPanel slug={slug} keys={keys} environments={o.environments.map((e) => e.name)} />
        ) : (
          <p className="text-sm text-slate-600">{keysBlocked}</p>
        )}
      </Card>
      <Card
        title="Environments"
        id="environments"
        description={
          blockedReason(ctx.actor, "settings.manage") ?? "Protection and promotion rules apply to every prompt."
        }
      >
        <EnvironmentsPanel
          slug={slug}
          blocked={blockedReason(ctx.actor, "settings.manage")}
          environments={o.environments}
          datasets={o.datasets}
          origins={o.origins}
          gateChoices={o.gateChoices}
          connections={(connections ?? []).map((c) => ({ id: c.id, name: c.name }))}
          judgeModel={o.judgeModel}
        />
        <NewProjectDefaults />
      </Card>
      {o.gates.length ? (
        <Card
          title="Evaluation gates"
          id="gates"
          description="Which versions each gate still needs a run for. When a gate's dataset changes (items added, edited or removed) or its scorers change, earlier runs stop counting."
        >
          <GateStatusPanel slug={slug} gates={o.gates} blocked={blockedReason(ctx.actor, "evaluation.run")} />
        </Card>
      ) : null}
      <Card
        title="Model connections"
        id="connections"
        description="Where the playground, evaluation runs and LLM judges send model calls: OpenAI, Anthropic or any OpenAI-compatible endpoint. Keys are stored encrypted and never shown again."
      >
        {connections ? (
          <ConnectionsPanel
            slug={slug}
            connections={connections}
            fallback={llmBaseUrl ? new URL(llmBaseUrl).host : null}
          />
        ) : (
          <p className="text-sm text-slate-600">{connectionsBlocked}</p>
        )}
      </Card>
      <Card
        title="Model prices"
        id="prices"
        description="USD per million tokens, for the cost of every model call. The project's prices apply before the default table."
      >
        <PricesPanel
          slug={slug}
          overrides={o.prices.overrides}
          defaults={o.prices.defaults}
          asOf={o.prices.asOf}
          blocked={blockedReason(ctx.actor, "settings.manage")}
        />
      </Card>
      <Card
        title="Import from Langfuse"
        id="import"
        description={
          blockedReason(ctx.actor, "settings.manage") ??
          "Copies a Langfuse project's prompts here: every version with its number, commit message, config, tags, author and time. Labels become environments (production serves what Langfuse's production label points at). Running it again imports only what is new."
        }
      >
        <ImportPanel slug={slug} blocked={blockedReason(ctx.actor, "settings.manage")} />
      </Card>
      <Card
        title="Webhooks"
        id="webhooks"
        description="Signed HTTP POSTs to your systems when versions are created, deployed or rolled back, reviews are requested or decided, and alerts fire."
      >
        {o.webhooks ? (
          <WebhooksPanel slug={slug} webhooks={o.webhooks} />
        ) : (
          <p className="text-sm text-slate-600">{webhooksBlocked}</p>
        )}
      </Card>
    </div>
  );
}
