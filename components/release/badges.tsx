import { Badge, type BadgeTone } from "@/components/ui/badge";

const envTones: Record<string, BadgeTone> = { production: "green", staging: "amber", development: "blue" };
export const envTone = (env: string): BadgeTone => envTones[env] ?? "violet";

/** "production v3": what an environment serves, coloured per environment. */
export function EnvBadge({ environment, version, title }: { environment: string; version?: number | null; title?: string }) {
  return (
    <Badge tone={version == null ? "gray" : envTone(environment)} title={title}>
      {environment}
      {version == null ? " —" : ` v${version}`}
    </Badge>
  );
}

export type VersionStatus = "draft" | "testing" | "production" | "archived";
const statusTones: Record<VersionStatus, BadgeTone> = { draft: "gray", testing: "amber", production: "green", archived: "violet" };
const statusHelp: Record<VersionStatus, string> = {
  draft: "Never deployed",
  testing: "Live in a non-production environment",
  production: "Live in production",
  archived: "Was live, has been replaced",
};

export function StatusBadge({ status }: { status: VersionStatus }) {
  return (
    <Badge tone={statusTones[status]} title={statusHelp[status]}>
      {status}
    </Badge>
  );
}

const actionLabels: Record<string, string> = { promote: "promoted", rollback: "rolled back", auto_rollback: "auto rollback", auto_promote: "auto promote" };
export function DeployActionBadge({ action }: { action: string }) {
  return <Badge tone={action.includes("rollback") ? "red" : "blue"}>{actionLabels[action] ?? action}</Badge>;
}
