// LangSmith's hub names a prompt `owner/repo[:commit|tag]`, and its clients read a `/` as the owner's end: a
// Lectern folder cannot be the owner (the JS client refuses to pull another owner's prompt without
// `dangerouslyPullPublicPrompt`, and to push to one at all). So the owner is this project — `-` (the clients'
// default) or its tenant handle, the project's slug — and a folder's `/` is written `--` in the repo handle:
// `support/reply` is `support--reply`. A name that holds `--` itself keeps its `/` percent-encoded (`a%2Fb--c`);
// a repo handle naming a prompt exactly wins over its `--` reading (docs/switching.md#langsmith).
import { createHash } from "node:crypto";
import { AppError } from "../../errors";

/** The repo handle of a Lectern prompt name. */
export function repoHandleOf(name: string): string {
  if (!name.includes("/")) return name;
  return name.includes("--") ? name.replaceAll("/", "%2F") : name.replaceAll("/", "--");
}

/** The Lectern names a repo handle may stand for, the exact one first. */
export function namesOfRepo(repo: string): string[] {
  const decoded = repo.includes("%2F") || repo.includes("%2f") ? repo.replace(/%2F/gi, "/") : repo;
  if (decoded.includes("/")) return [decoded];
  const folded = decoded.replaceAll("--", "/");
  return folded === decoded || folded.startsWith("/") || folded.endsWith("/") ? [decoded] : [decoded, folded];
}

/** The owner must be this project: `-` or its tenant handle (the project's slug). */
export function assertOwner(owner: string, tenantHandle: string): void {
  if (owner === "-" || owner === tenantHandle) return;
  throw new AppError(
    "not_found",
    `No prompts of ${owner} here: this Lectern project's tenant handle is ${tenantHandle} (or -); a folder's '/' is written '--' in the repo name (support--reply).`,
    { field: "owner", owner, tenantHandle },
  );
}

/** A version's commit hash: stable, 64 hex digits, distinct per prompt and version (LangSmith shows the first 8). */
export const commitHashOf = (promptId: string, version: number) =>
  createHash("sha256").update(`langsmith:${promptId}:${version}`).digest("hex");

/** A reference that may be a commit hash (or its first 8+ hex digits, as LangSmith accepts). */
export const looksLikeCommit = (ref: string) => /^[0-9a-f]{8,64}$/.test(ref);

/** The version among `versions` whose commit hash starts with `ref`. */
export function versionOfCommit(promptId: string, versions: number[], ref: string): number | undefined {
  if (!looksLikeCommit(ref)) return undefined;
  return versions.find((v) => commitHashOf(promptId, v).startsWith(ref));
}
