import { Badge, type BadgeTone } from "@/components/ui/badge";

const envTones: Record<string, BadgeTone> = { production: "green", staging: "amber", development: "blue" };
export const envTone = (env: string): BadgeTone => envTones[env] ?? "violet";

/** "production v3": what an environment serves, coloured per environment. */
export function EnvBadge({
  environment,
  version,
  title,
}: {
  environment: string;
  version?: number | null;
  title?: string;
}) {
  return (
    <Badge tone={version == null ? "gray" : envTone(environment)} title={title}>
      {environment}
      {version == null ? " —" : ` v${version}`}
    </Badge>
  );
}

export type VersionStatus = "draft" | "testing" | "production" | "archived";
const statusTones: Record<VersionStatus, BadgeTone> = {
  draft: "gray",
  testing: "amber",
  production: "green",
  archived: "violet",
};

/**
 * A version's status in words for people, not the API's enum: "live in staging" rather than
 * "testing", "previously live" rather than "archived" (it was live, and it is what a rollback
 * returns to), "not live yet" rather than "draft" (which would be confused with draft copies).
 */
export function statusLabel(status: VersionStatus, liveIn: string[] = []): string {
  if (status === "production") return liveIn.length > 1 ? `live in ${liveIn.join(", ")}` : "live in production";
  if (status === "testing") return liveIn.length ? `live in ${liveIn.join(", ")}` : "live (not in production)";
  if (status === "archived") return "previously live";
  return "not live yet";
}

const statusHelp: Record<VersionStatus, string> = {
  draft: "Saved, but never deployed to any environment.",
  testing: "Live in an environment other than production.",
  production: "Live in production.",
  archived: "Was live, and has since been replaced; you can roll back to it.",
};

export function StatusBadge({ status, liveIn }: { status: VersionStatus; liveIn?: string[] }) {
  return (
    <Badge tone={statusTones[status]} title={statusHelp[status]}>
      {statusLabel(status, liveIn)}
    </Badge>
  );
}

const actionLabels: Record<string, string> = {
  promote: "promoted",
  rollback: "rolled back",
  auto_rollback: "auto rollback",
  auto_promote: "auto promote",
};
export function DeployActionBadge({ action }: { action: string }) {
  return <Badge tone={action.includes("rollback") ? "red" : "blue"}>{actionLabels[action] ?? action}</Badge>;
}
