// The dataset page (read model): the dataset, one page of its items, its version history, the evaluation gates
// that use it and what a change to its items does to them, and the notice after a removal or a restore. Null
// when the project has no such dataset. The page renders it.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { datasetDto, getDatasetRow, listDatasetVersions, listDatasetItems } from "../evaluation/datasets";
import { gateStatus } from "../release/gates/gate-status";

export const datasetPageSize = 50;
export const datasetHistorySize = 20;

export async function datasetOverview(
  db: Db,
  projectId: string,
  id: string,
  query: { offset?: string; removed?: string; restored?: string },
) {
  const row = await getDatasetRow(db, projectId, id).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  });
  if (!row) return null;
  const offset = Math.max(0, Math.floor(Number(query.offset) || 0));
  const [ds, page, versions, gates] = await Promise.all([
    datasetDto(db, row),
    listDatasetItems(db, projectId, row.id, { offset, limit: datasetPageSize }),
    listDatasetVersions(db, projectId, row.id, { limit: datasetHistorySize }),
    gateStatus(db, projectId, { dataset: row.id }),
  ]);
  return {
    ds,
    offset,
    page,
    versions,
    gates,
    /** What a change to the items does to each gate (for the confirmation dialogs). */
    impact: gates.map((g) => ({
      environment: g.environment,
      pinned: g.pinned ? g.datasetVersion : null,
      counting: g.versions
        .filter((v) => v.state === "passes" || v.state === "fails")
        .map((v) => `${v.prompt} v${v.version}`),
    })),
    notice: changeNotice(versions, gates, query),
  };
}

/** The notice after a removal (with the version "Undo" restores) or a restore, read from the URL and checked against the history. */
export function changeNotice(
  versions: Awaited<ReturnType<typeof listDatasetVersions>>,
  gates: Awaited<ReturnType<typeof gateStatus>>,
  sp: { removed?: string; restored?: string },
): { message: string; undoTo?: number } | null {
  const newest = versions[0];
  const affected = gates.filter((g) => !g.pinned && g.needRun);
  const needs = affected.length
    ? ` ${affected.map((g) => `${g.environment}'s gate now needs a new run for ${g.needRun === 1 ? "one version" : `${g.needRun} versions`}`).join("; ")}.`
    : "";
  if (newest && sp.removed && Number(sp.removed) === newest.version && newest.change.startsWith("removed"))
    return {
      message: `Done: ${newest.change}. The dataset is now at version ${newest.version}.${needs}`,
      undoTo: newest.version > 1 ? newest.version - 1 : undefined,
    };
  const restored = sp.restored ? versions.find((v) => v.version === Number(sp.restored)) : undefined;
  if (restored?.change.startsWith("restored"))
    return {
      message: restored.sameItemsAs
        ? `Done: version ${restored.version} has the same items as version ${restored.sameItemsAs} again, so the runs made on them count again.${needs}`
        : `Done: version ${restored.version} ${restored.change.replace("restored", "restores the items of")}.${needs}`,
    };
  return null;
}
