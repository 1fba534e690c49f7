// The online evaluation page of one prompt (read model): the environments and which are evaluated, the
// chosen environment's rule with its last check, scores over time and samples per version, the open
// alerts, and what the rule form starts from. The page renders it and decides nothing.
import type { DomainContext } from "../../context";
import { trustOf } from "../../scorers/judge-agreement";
import { judgeAgreement } from "./rule-agreement";
import { can } from "../../auth/permissions";
import { connectionChoices, type ConnectionChoice } from "../../llm/connections";
import { liveVersions } from "../../release/deployments";
import { listEnvironmentRows } from "../../release/environments";
import { answerChecks } from "../../scorers/presets";
import { listDatasets } from "../datasets";
import { listAlerts } from "./alerts";
import type { AlertConfig, RollbackConfig, ShadowConfig } from "./contracts";
import { getOnlineEvaluation, listOnlineRules } from "./rules";
import { scoreSeries, type SeriesBucket } from "./series";
import { shadowComparison } from "./shadow/shadow-read";

/** What the rule form starts from: the rule, or the defaults for an environment without one. */
export type RuleSettings = {
  environment: string;
  sampleRate: number;
  scorers: unknown[];
  signals: string[];
  window: number;
  minSamples: number;
  alpha: number;
  alert: AlertConfig | null;
  rollback: RollbackConfig;
  shadow: ShadowConfig | null;
};

const defaults = (environment: string): RuleSettings => ({
  environment,
  sampleRate: 0.1,
  scorers: answerChecks,
  signals: ["feedback", "outcome"],
  window: 1000,
  minSamples: 100,
  alpha: 0.05,
  alert: { maxDrop: 0.05 },
  rollback: { enabled: false, maxDrop: 0.15, cooldownMinutes: 60 },
  shadow: null,
});

export async function onlineOverview(
  ctx: DomainContext,
  prompt: { id: string; name: string },
  opts: { environment?: string; bucket?: string },
) {
  const { db, actor, projectId } = ctx;
  const [envRows, rules, live, openAlerts, datasetRows, connections] = await Promise.all([
    listEnvironmentRows(db, projectId),
    listOnlineRules(db, projectId, prompt.name),
    liveVersions(db, projectId, prompt.id),
    listAlerts(db, projectId, { prompt: prompt.name, open: true }),
    listDatasets(db, projectId),
    connectionChoices(ctx),
  ]);
  // The environment asked for, else the first evaluated one, else production, else the first.
  const environment =
    envRows.find((e) => e.name === opts.environment)?.name ??
    rules[0]?.environment ??
    envRows.find((e) => e.name === "production")?.name ??
    envRows[0]!.name;
  const bucket: SeriesBucket = opts.bucket === "day" ? "day" : "hour";
  const rule = rules.find((r) => r.environment === environment) ?? null;
  const [detail, series, agreement, shadow] = rule
    ? await Promise.all([
        getOnlineEvaluation(db, projectId, prompt.name, environment),
        scoreSeries(db, rule.id, { bucket }),
        judgeAgreement(db, projectId, rule.id),
        shadowComparison(db, projectId, prompt.name, environment, { version: "all", pairs: 10 }),
      ])
    : [null, [], null, null];
  const versions = detail?.versions ?? [];
  const liveHere = live.find((l) => l.environment === environment)?.live?.version ?? null;
  return {
    environments: envRows.map((e) => ({ name: e.name, evaluated: rules.some((r) => r.environment === e.name) })),
    environment,
    bucket,
    exists: rule !== null,
    ruleId: rule?.id ?? null,
    /** Each LLM judge of the rule against people's labels (empty without judges). */
    judges: agreement?.judges ?? [],
    /** The judges an automatic rollback would rely on, in brief (empty: rollback off, or no judge). */
    rollbackJudges: rule?.rollback.enabled ? (agreement?.judges ?? []).map((a) => trustOf(a, null)) : [],
    lastCheck: detail?.lastCheck ?? null,
    /** Candidates answering live inputs off the path, against the live version (null: no rule; no candidates: empty). */
    shadow: shadow && (shadow.config || shadow.candidates.length) ? shadow : null,
    series,
    versions,
    liveHere,
    /** The version the samples panel opens on: the live one when it has samples. */
    samplesVersion:
      liveHere && versions.some((v) => v.version === liveHere) ? liveHere : (versions[0]?.version ?? null),
    openAlerts,
    initial: rule
      ? ({
          environment,
          sampleRate: rule.sampleRate,
          scorers: rule.scorers,
          signals: rule.signals,
          window: rule.window,
          minSamples: rule.minSamples,
          alpha: rule.alpha,
          alert: rule.alert,
          rollback: rule.rollback,
          shadow: rule.shadow,
        } satisfies RuleSettings)
      : defaults(environment),
    // Datasets of this prompt first, then the project's others; only for people who may add to them.
    datasets: can(actor, "evaluation.run")
      ? [
          ...datasetRows.filter((d) => d.prompt === prompt.name),
          ...datasetRows.filter((d) => d.prompt !== prompt.name),
        ].map((d) => ({ id: d.id, name: d.name, prompt: d.prompt }))
      : null,
    connections: connections.map((c: ConnectionChoice) => ({ id: c.id, name: c.name })),
    judgeModel: connections.find((c) => c.defaultModel)?.defaultModel ?? null,
  };
}
