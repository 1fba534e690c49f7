import { decodePromptPath, encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { listAlerts } from "@/lib/evaluation/online/alerts";
import { describeVerdict, type MetricVerdict } from "@/lib/evaluation/online/detect";
import { getOnlineRule, listOnlineRules } from "@/lib/evaluation/online/rules";
import { scoreSeries } from "@/lib/evaluation/online/series";
import { liveVersions } from "@/lib/release/deployments";
import { listEnvironments } from "@/lib/release/environments";
import { requirePrompt } from "@/lib/server/session";
import { blockedReason } from "@/components/permissions";
import { ScoreChart } from "@/components/online/score-chart";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { AlertList } from "../../alerts/_components/alert-list";
import { RuleForm, type RuleValues } from "./_components/rule-form";
import { SamplesPanel } from "./_components/samples-panel";
import { listDatasets } from "@/lib/evaluation/datasets";
import { can } from "@/lib/auth/permissions";
import { answerChecks, presetsForOnline } from "@/lib/evaluation/scorers/presets";
import { connectionChoices } from "@/lib/llm/connections";
import { Term } from "@/components/glossary/term";

type Params = { project: string; name: string[] };
type Search = { environment?: string; bucket?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  return { title: `Online evaluation · ${decodePromptPath((await params).name) ?? "Prompt"}` };
}

type Decision = {
  at: string;
  live: number | null;
  baseline: number | null;
  level: string;
  action: string;
  reason: string;
  metrics: MetricVerdict[];
};

const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);
const actionLabel: Record<string, string> = {
  none: "No regression",
  alerted: "Alerted",
  rolled_back: "Rolled back",
  withheld: "Rollback withheld",
  skipped: "Nothing to compare yet",
};

export default async function OnlineEvaluationPage({
  params,
  searchParams,
}: {
  params: Promise<Params>;
  searchParams: Promise<Search>;
}) {
  const { project: slug, name: segments } = await params;
  const sp = await searchParams;
  const { ctx, db, prompt, name } = await requirePrompt(slug, segments);
  const [envRows, rules, live, openAlerts, datasetRows, connections] = await Promise.all([
    listEnvironments(db, ctx.project.id),
    listOnlineRules(db, ctx.project.id, name),
    liveVersions(db, ctx.project.id, prompt.id),
    listAlerts(db, ctx.project.id, { prompt: name, open: true }),
    listDatasets(db, ctx.project.id),
    connectionChoices(db, ctx.actor, ctx.project.id),
  ]);
  const judgeModel = connections.find((c) => c.defaultModel)?.defaultModel ?? null;
  // Datasets of this prompt first, then the project's others.
  const datasets = [
    ...datasetRows.filter((d) => d.prompt === name),
    ...datasetRows.filter((d) => d.prompt !== name),
  ].map((d) => ({ id: d.id, name: d.name, prompt: d.prompt }));
  const canAdd = can(ctx.actor, "evaluation.run");
  const environment =
    envRows.find((e) => e.name === sp.environment)?.name ??
    rules[0]?.environment ??
    envRows.find((e) => e.name === "production")?.name ??
    envRows[0]!.name;
  const bucket = sp.bucket === "day" ? "day" : "hour";
  const rule = rules.find((r) => r.environment === environment);
  const [detail, series] = rule
    ? await Promise.all([getOnlineRule(db, ctx.project.id, name, environment), scoreSeries(db, rule.id, { bucket })])
    : [null, []];
  const liveHere = live.find((l) => l.environment === environment)?.live?.version ?? null;
  const lastCheck = (detail?.lastCheck ?? null) as Decision | null;
  const initial: RuleValues = rule
    ? {
        environment,
        sampleRate: rule.sampleRate,
        scorers: rule.scorers as unknown[],
        signals: rule.signals,
        window: rule.window,
        minSamples: rule.minSamples,
        alpha: rule.alpha,
        alert: rule.alert as RuleValues["alert"],
        rollback: rule.rollback as RuleValues["rollback"],
      }
    : {
        environment,
        sampleRate: 0.1,
        scorers: answerChecks,
        signals: ["feedback", "outcome"],
        window: 1000,
        minSamples: 100,
        alpha: 0.05,
        alert: { maxDrop: 0.05 },
        rollback: { enabled: false, maxDrop: 0.15, cooldownMinutes: 60 },
      };
  const encoded = encodePromptName(name);
  const base = `/${slug}/online/${encoded}`;
  const versions = detail?.versions ?? [];

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-3">
        <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
          <Link href={`/${slug}/prompts`} className="hover:underline">
            Prompts
          </Link>
          {" / "}
          <Link href={`/${slug}/prompts/${encoded}`} className="hover:underline">
            {name}
          </Link>
          {" / "}Online evaluation
        </nav>
        <div>
          <h1 className="break-all text-2xl font-semibold tracking-tight">Online evaluation · {name}</h1>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            Lectern samples the outputs your application reports (generation events with an output), scores them, and
            compares the live version with the last known-good one. Past the thresholds it alerts, and if you allow it,
            rolls back.
          </p>
        </div>
        <nav aria-label="Environment" className="flex flex-wrap gap-1">
          {envRows.map((e) => {
            const on = rules.some((r) => r.environment === e.name);
            const current = e.name === environment;
            return (
              <Link
                key={e.name}
                href={`${base}?environment=${encodeURIComponent(e.name)}`}
                aria-current={current ? "page" : undefined}
                className={`inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium ${current ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
              >
                {e.name}
                {on ? <Badge tone="green">on</Badge> : null}
              </Link>
            );
          })}
        </nav>
      </div>

      {openAlerts.length ? (
        <Card title="Open alerts" id="alerts">
          <AlertList slug={slug} alerts={openAlerts} blocked={blockedReason(ctx.actor, "alert.acknowledge")} compact />
        </Card>
      ) : null}

      {rule && detail ? (
        <>
          <Card
            title="Last check"
            id="status"
            description={
              lastCheck ? (
                <>
                  <Time value={lastCheck.at} /> · {lastCheck.live ? `v${lastCheck.live} (live then)` : "nothing live"}
                  {lastCheck.baseline ? ` checked against v${lastCheck.baseline}, the last known-good version` : ""}
                </>
              ) : (
                "Not checked yet: the check runs every minute."
              )
            }
            actions={
              lastCheck ? (
                <Badge
                  tone={
                    lastCheck.action === "rolled_back" || lastCheck.action === "withheld"
                      ? "red"
                      : lastCheck.action === "alerted"
                        ? "amber"
                        : "green"
                  }
                >
                  {actionLabel[lastCheck.action] ?? lastCheck.action}
                </Badge>
              ) : null
            }
          >
            {lastCheck?.metrics.length ? (
              <Table caption="Metrics compared in the last check">
                <thead>
                  <tr>
                    <Th>Metric</Th>
                    <Th className="text-right">v{lastCheck.baseline} (before)</Th>
                    <Th className="text-right">v{lastCheck.live} (live)</Th>
                    <Th className="text-right">Drop</Th>
                    <Th className="text-right">
                      <Term k="holm" align="right">
                        Holm-adjusted p (chance of a fluke)
                      </Term>
                    </Th>
                    <Th>Verdict</Th>
                  </tr>
                </thead>
                <tbody>
                  {lastCheck.metrics.map((m) => (
                    <tr key={m.name}>
                      <Td className="font-medium">{m.name}</Td>
                      <Td className="text-right tabular-nums">
                        {pct(m.baseline.mean)} <span className="text-xs text-slate-500">n {m.baseline.n}</span>
                      </Td>
                      <Td className="text-right tabular-nums">
                        {pct(m.live.mean)} <span className="text-xs text-slate-500">n {m.live.n}</span>
                      </Td>
                      <Td className="text-right tabular-nums">{pct(m.drop)}</Td>
                      <Td className="text-right tabular-nums">
                        {m.adjustedPValue === null
                          ? "–"
                          : m.adjustedPValue < 0.0001
                            ? "< 0.0001"
                            : m.adjustedPValue.toFixed(4)}
                      </Td>
                      <Td className="text-xs text-slate-700">
                        {m.note ??
                          (m.level === "none"
                            ? "no regression"
                            : m.level === "alert"
                              ? "past the alert threshold"
                              : "past the rollback threshold")}
                      </Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            ) : (
              <p className="text-sm text-slate-600">{lastCheck?.reason ?? "Waiting for the first check."}</p>
            )}
            {lastCheck && lastCheck.action !== "none" && lastCheck.metrics.some((m) => m.level !== "none") ? (
              <p className="mt-2 text-xs text-slate-600">
                {lastCheck.metrics
                  .filter((m) => m.level !== "none")
                  .map(describeVerdict)
                  .join("; ")}
              </p>
            ) : null}
          </Card>

          <Card
            title="Scores over time"
            id="chart"
            actions={
              <nav aria-label="Time bucket" className="flex gap-1 text-xs">
                {(["hour", "day"] as const).map((b) => (
                  <Link
                    key={b}
                    href={`${base}?environment=${encodeURIComponent(environment)}&bucket=${b}#chart`}
                    aria-current={b === bucket ? "page" : undefined}
                    className={`rounded px-2 py-1 ${b === bucket ? "bg-brand-50 font-medium text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
                  >
                    per {b}
                  </Link>
                ))}
              </nav>
            }
          >
            <ScoreChart points={series} bucket={bucket} />
          </Card>

          <Card title="Versions" id="versions" description={`Sampled outputs per version in ${environment}.`}>
            {versions.length ? (
              <Table caption="Sampled outputs per version">
                <thead>
                  <tr>
                    <Th>Version</Th>
                    <Th className="text-right">Mean score</Th>
                    <Th className="text-right">Scored</Th>
                    <Th className="text-right">Waiting</Th>
                    <Th className="text-right">Failed</Th>
                    <Th>Last output</Th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.version}>
                      <Td>
                        v{v.version} {v.version === liveHere ? <Badge tone="green">live</Badge> : null}
                      </Td>
                      <Td className="text-right tabular-nums">{pct(v.mean)}</Td>
                      <Td className="text-right tabular-nums">{v.scored}</Td>
                      <Td className="text-right tabular-nums">{v.pending}</Td>
                      <Td className="text-right tabular-nums">{v.failed}</Td>
                      <Td className="text-xs">{v.lastAt ? <Time value={v.lastAt} /> : "–"}</Td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            ) : (
              <p className="text-sm text-slate-600">
                No outputs sampled yet. Report generations with their output (<code>POST /api/v1/events</code>, or the
                SDK&apos;s <code>track()</code>) from {environment}.
              </p>
            )}
          </Card>

          {versions.length ? (
            <Card
              title="Scored outputs"
              id="samples"
              description="What was produced and why each scorer judged it as it did."
            >
              <SamplesPanel
                slug={slug}
                prompt={name}
                environment={environment}
                versions={versions.map((v) => v.version)}
                initialVersion={
                  liveHere && versions.some((v) => v.version === liveHere) ? liveHere : versions[0]!.version
                }
                datasets={canAdd ? datasets : null}
              />
            </Card>
          ) : null}
        </>
      ) : null}

      <Card
        title={rule ? `Rule for ${environment}` : `Evaluate ${environment}`}
        id="rule"
        description={rule ? undefined : `${name} is not evaluated in ${environment} yet.`}
      >
        <RuleForm
          key={environment}
          slug={slug}
          prompt={name}
          initial={initial}
          exists={Boolean(rule)}
          blocked={blockedReason(ctx.actor, "evaluation.manage")}
          presets={presetsForOnline(judgeModel)}
          connections={connections.map((c) => ({ id: c.id, name: c.name }))}
          judgeModel={judgeModel}
        />
      </Card>
    </div>
  );
}
