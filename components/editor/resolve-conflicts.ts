// Builds merged content from a three-way merge's partial result and the reader's choice for each
// conflict. Pure; used by the draft merge screen.
import { isPlaceholder, type Content } from "@/lib/registry/content";
import type { MergeConflict } from "@/lib/registry/changes/merge";

export type Resolution = { kind: "text"; text: string } | { kind: "side"; side: "draft" | "latest" };

export const isTextConflict = (c: MergeConflict) => c.marked !== undefined;
export const hasConflictMarkers = (text: string) => /^(<{7}|={7}|>{7})(\s|$)/m.test(text);

/** The starting resolution of each conflict: the marked text (so nothing is dropped unseen), or the draft's value. */
export function initialResolutions(conflicts: MergeConflict[]): Record<string, Resolution> {
  return Object.fromEntries(
    conflicts.map((c) => [
      c.key,
      isTextConflict(c) ? { kind: "text", text: c.marked ?? c.ours } : { kind: "side", side: "draft" },
    ]),
  );
}

export function applyResolutions(
  partial: Content,
  latest: Content,
  conflicts: MergeConflict[],
  choice: Record<string, Resolution>,
): Content {
  let c = structuredClone(partial);
  const takeLatest = (key: string) => {
    const r = choice[key];
    return r?.kind === "side" && r.side === "latest";
  };
  // Whole-template choices first: per-message keys then apply on top of them.
  if ((takeLatest("type") || takeLatest("messages")) && latest.type !== "skill")
    c = { ...c, type: latest.type, template: structuredClone(latest.template) } as Content;
  for (const conflict of conflicts) {
    const key = conflict.key;
    const r = choice[key];
    if (!r) continue;
    const message = /^messages\[(\d+)\](\.role)?$/.exec(key);
    // A skill's file: files["path"].
    const file = /^files\[(".*")\]$/.exec(key);
    const path = file ? (JSON.parse(file[1]!) as string) : undefined;
    if (r.kind === "text") {
      if (key === "template" && c.type === "text") c = { ...c, template: r.text };
      else if (path !== undefined && c.type === "skill") c.files[path] = r.text;
      else if (message && !message[2] && c.type === "chat") {
        const m = c.template[Number(message[1])];
        if (m && !isPlaceholder(m)) m.content = r.text;
      }
      continue;
    }
    if (r.side !== "latest") continue;
    if (path !== undefined && c.type === "skill" && latest.type === "skill") {
      if (Object.hasOwn(latest.files, path)) c.files[path] = latest.files[path]!;
      else delete c.files[path];
    } else if (message && !message[2] && c.type === "chat" && latest.type === "chat") {
      // A placeholder's conflict is over the whole entry.
      const l = latest.template[Number(message[1])];
      if (l && c.template[Number(message[1])]) c.template[Number(message[1])] = structuredClone(l);
    } else if (message?.[2] && c.type === "chat" && latest.type === "chat") {
      const [m, l] = [c.template[Number(message[1])], latest.template[Number(message[1])]];
      if (m && l && !isPlaceholder(m) && !isPlaceholder(l)) m.role = l.role;
    } else if (key.startsWith("variables.")) {
      const name = key.slice("variables.".length);
      const theirs = latest.variables.find((v) => v.name === name);
      const at = c.variables.findIndex((v) => v.name === name);
      if (theirs && at >= 0) c.variables[at] = structuredClone(theirs);
      else if (theirs) c.variables.push(structuredClone(theirs));
      else if (at >= 0) c.variables.splice(at, 1);
    } else if (key.startsWith("config.")) {
      const k = key.slice("config.".length);
      if (Object.hasOwn(latest.config, k)) c.config[k] = structuredClone(latest.config[k]);
      else delete c.config[k];
    } else if (key === "examples") c.examples = structuredClone(latest.examples);
  }
  return c;
}

/** A readable name for a conflict key. */
export function conflictTitle(key: string): string {
  const m = /^messages\[(\d+)\](\.role)?$/.exec(key);
  if (m) return `Message ${Number(m[1]) + 1}${m[2] ? " role" : ""}`;
  if (key === "template") return "Template";
  const file = /^files\[(".*")\]$/.exec(key);
  if (file) return `File ${JSON.parse(file[1]!) as string}`;
  if (key === "messages") return "The list of messages";
  if (key === "type") return "Prompt type (text or chat)";
  if (key.startsWith("variables.")) return `Variable ${key.slice(10)}`;
  if (key.startsWith("config.")) return `Model setting ${key.slice(7)}`;
  return key;
}
