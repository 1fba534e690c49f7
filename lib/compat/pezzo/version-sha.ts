// Pezzo names a version by its sha; Lectern's answer names one by its number, kept readable in the sha.
import { createHash } from "node:crypto";

/**
 * A version's promptVersionSha: its number and a hash of the prompt and number, so that a reported execution
 * names its version exactly (reportPromptExecution sends it back) and a sha of another prompt is told apart.
 */
export const pezzoVersionSha = (promptId: string, version: number) =>
  `v${version}.${createHash("sha256").update(`${promptId}:${version}`).digest("hex").slice(0, 32)}`;

/** The version a promptVersionSha names, when it is one of promptId's (pezzoVersionSha); undefined otherwise. */
export function versionOfSha(promptId: string, sha: string): number | undefined {
  const m = /^v([1-9][0-9]{0,8})\.[0-9a-f]{32}$/.exec(sha);
  const version = m ? Number(m[1]) : undefined;
  return version !== undefined && pezzoVersionSha(promptId, version) === sha ? version : undefined;
}
