"use client";

import type { ApiKeySummary } from "@/lib/auth/api-keys";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/select";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";

export type KeyScope = "runtime" | "admin" | "skills";

/** The project's keys: name, scope, prefix, when created and last used; revocable until revoked. */
export function ApiKeysTable({ keys, onRevoke }: { keys: ApiKeySummary[]; onRevoke: (key: ApiKeySummary) => void }) {
  return keys.length ? (
    <Table caption="API keys" stack>
      <TableHead columns={["Name", "Scope", "Key", "Created", "Last used"]} actions />
      <tbody>
        {keys.map((k) => (
          <tr key={k.id} className={k.revokedAt ? "text-slate-500" : ""}>
            <Td label="Name" className="font-medium">
              {k.name}
            </Td>
            <Td label="Scope">
              <Badge tone={k.scope === "admin" ? "red" : k.scope === "skills" ? "green" : "blue"}>{k.scope}</Badge>
              {k.environments ? (
                <span className="ml-2 text-xs text-slate-600">only {k.environments.join(", ")}</span>
              ) : null}
            </Td>
            <Td label="Key" className="font-mono text-xs">
              {k.prefix}…
            </Td>
            <Td label="Created" className="whitespace-nowrap text-xs">
              <Time value={k.createdAt} />
            </Td>
            <Td label="Last used" className="whitespace-nowrap text-xs">
              {k.lastUsedAt ? <Time value={k.lastUsedAt} /> : "never"}
            </Td>
            <Td label="Actions" className="text-right">
              {k.revokedAt ? (
                <Badge>revoked</Badge>
              ) : (
                <Button size="sm" variant="ghost" onClick={() => onRevoke(k)}>
                  Revoke
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  ) : (
    <p className="text-sm text-slate-600">No API keys yet. Applications need a runtime key to fetch prompts.</p>
  );
}

/** What a new key may read: a runtime key's environments (none: all), or the one a skills key serves. */
export function KeyEnvironments({
  scope,
  environments,
  limitTo,
  onLimitTo,
  skillsEnv,
  onSkillsEnv,
}: {
  scope: KeyScope;
  environments: string[];
  limitTo: string[];
  onLimitTo: (names: string[]) => void;
  skillsEnv: string;
  onSkillsEnv: (name: string) => void;
}) {
  return scope === "runtime" ? (
    <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm md:col-span-3">
      <legend className="mb-1 text-sm font-medium text-slate-700">
        Environments it may read (none ticked: all of them)
      </legend>
      {environments.map((e) => (
        <label key={e} className="flex items-center gap-1.5">
          <input
            type="checkbox"
            checked={limitTo.includes(e)}
            onChange={(ev) => onLimitTo(ev.target.checked ? [...limitTo, e] : limitTo.filter((x) => x !== e))}
          />
          {e}
        </label>
      ))}
    </fieldset>
  ) : scope === "skills" ? (
    <div className="md:col-span-3">
      <Select
        label="Environment whose skills it serves"
        id="key-skills-environment"
        value={skillsEnv}
        onValue={onSkillsEnv}
        options={environments}
      />
    </div>
  ) : null;
}
