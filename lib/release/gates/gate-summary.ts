// The one sentence that says where a gate stands (Settings and the dataset page). Pure, so the
// client renders it and a table test pins every case: a run under way does not count yet.
import type { GateStatus } from "./gate-status";

export function gateSummary(g: Pick<GateStatus, "environment" | "requiresLiveIn" | "versions" | "needRun">): string {
  if (!g.versions.length)
    return `No version is live in ${g.environment}${g.requiresLiveIn ? ` or ${g.requiresLiveIn}` : ""} or waiting for a review for it.`;
  const running = g.versions.filter((v) => v.state === "running").length;
  const under = running
    ? ` ${running === 1 ? "One run is" : `${running} runs are`} under way; ${running === 1 ? "it counts" : "they count"} once done.`
    : "";
  if (g.needRun) {
    const a = g.versions.some((v) => v.state === "missing") ? "a run" : "a new run";
    const them = g.needRun === 1 ? "it" : "them";
    return `${g.needRun === 1 ? "One version needs" : `${g.needRun} versions need`} ${a} before ${g.environment} takes ${them}.${under}`;
  }
  if (running) return under.trim();
  return "Every version that matters has a run that counts.";
}
