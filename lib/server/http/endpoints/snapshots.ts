// The endpoints of project snapshots (export and import): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { snapshotExportResponse } from "@/lib/snapshots/export";
import { snapshotInput } from "@/lib/snapshots/format";
import { importSummaryResponse, snapshotBodyLimit, snapshotImportQuery } from "@/lib/snapshots/import";
import { endpoint } from "../endpoint";

export const exportProjectSnapshot = endpoint({
  method: "GET",
  path: "/api/v1/snapshot",
  summary:
    "Export the whole project (format lectern.project/1, or lectern.project/2 when it has bundles): environments and their rules, every prompt with its full version history and deployment log, datasets, bundles",
  scope: "admin",
  permission: "prompt.read",
  response: snapshotExportResponse,
});

export const importProjectSnapshot = endpoint({
  method: "POST",
  path: "/api/v1/snapshot",
  summary:
    "Import a snapshot in one transaction: adds the versions and deployments this project lacks (numbers and instants kept); importing again changes nothing (changed: false); bundles are created or take the snapshot's members (400 naming the bundle and member when a member is neither in the snapshot nor the project); 409 lists the conflicts when histories diverged, writing nothing; ?dryRun=true only reports",
  scope: "admin",
  permission: "settings.manage",
  query: snapshotImportQuery,
  // The body is validated by importProjectSnapshot (it names the field); the route only reads it.
  body: (value: unknown) => value,
  bodySchema: snapshotInput,
  maxBodyBytes: snapshotBodyLimit,
  response: importSummaryResponse,
});
