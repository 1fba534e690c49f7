"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ApiKeySummary } from "@/lib/auth/api-keys";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { Time } from "@/components/ui/time";
import { useConfirm } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";
import { AlertLine } from "@/components/ui/alert-line";
import { createApiKeyAction, revokeApiKeyAction } from "../_actions";
import { CopyField, ShownOnceDialog } from "./copy-button";

/** Project API keys: create (the secret is shown once), list, revoke. */
export function ApiKeysPanel({
  slug,
  keys,
  environments,
}: {
  slug: string;
  keys: ApiKeySummary[];
  environments: string[];
}) {
  const router = useRouter();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<"runtime" | "admin" | "skills">("runtime");
  // Empty: every environment. Otherwise the runtime key reads only these.
  const [limitTo, setLimitTo] = useState<string[]>([]);
  // A skills key serves one environment's skills at its URL.
  const [skillsEnv, setSkillsEnv] = useState(
    environments.includes("production") ? "production" : (environments[0] ?? ""),
  );
  const [created, setCreated] = useState<{ name: string; key: string; skillsUrl?: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await createApiKeyAction(slug, {
      name,
      scope,
      environments: scope === "skills" ? [skillsEnv] : scope === "runtime" && limitTo.length ? limitTo : undefined,
    });
    setBusy(false);
    if (!r.ok) return setError(r.message);
    setCreated({
      name: r.data.name,
      key: r.data.key,
      skillsUrl: "skillsUrl" in r.data ? (r.data.skillsUrl as string) : undefined,
    });
    setName("");
    setLimitTo([]);
    router.refresh();
  }

  async function revoke(k: ApiKeySummary) {
    const yes = await confirm({
      title: `Revoke ${k.name}?`,
      body: "Applications using it stop working at once.",
      confirmLabel: "Revoke key",
      danger: true,
    });
    if (!yes) return;
    const r = await revokeApiKeyAction(slug, { id: k.id });
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(`Revoked ${k.name}.`);
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      {keys.length ? (
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
                    <Button size="sm" variant="ghost" onClick={() => void revoke(k)}>
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
      )}
      <form
        onSubmit={(e) => void create(e)}
        className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-4 md:grid-cols-[1fr_14rem_auto] md:items-end"
        aria-label="Create an API key"
      >
        <Input
          label="Key name"
          id="key-name"
          value={name}
          onValue={setName}
          required
          maxLength={100}
          placeholder="e.g. support-bot production"
        />
        <Select
          label="Scope"
          id="key-scope"
          value={scope}
          onValue={(v) => setScope(v as "runtime" | "admin" | "skills")}
        >
          <option value="runtime">runtime: resolve prompts</option>
          <option value="skills">skills: a URL agents install skills from</option>
          <option value="admin">admin: everything, incl. management API</option>
        </Select>
        <Button type="submit" disabled={busy || !name.trim()}>
          Create key
        </Button>
        {scope === "runtime" ? (
          <fieldset className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm md:col-span-3">
            <legend className="mb-1 text-sm font-medium text-slate-700">
              Environments it may read (none ticked: all of them)
            </legend>
            {environments.map((e) => (
              <label key={e} className="flex items-center gap-1.5">
                <input
                  type="checkbox"
                  checked={limitTo.includes(e)}
                  onChange={(ev) => setLimitTo(ev.target.checked ? [...limitTo, e] : limitTo.filter((x) => x !== e))}
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
              onValue={setSkillsEnv}
              options={environments}
            />
          </div>
        ) : null}
        <AlertLine message={error} className="md:col-span-3" />
      </form>
      <ShownOnceDialog
        shown={created}
        onClose={() => setCreated(null)}
        title={`API key “${created?.name ?? ""}” created`}
        description="Copy it now: this is the only time Lectern shows it. Only a hash is stored."
      >
        {(created) => (
          <>
            <CopyField id="new-key" label="Your new key" value={created.key} />
            {created.skillsUrl ? (
              <>
                <CopyField id="new-skills-url" label="Its skills URL" value={created.skillsUrl} />
                <p className="text-xs text-slate-600">
                  Install its skills into any agent with “npx skills add &lt;URL&gt;”. The key is in the URL: share it
                  like a password; revoking the key ends it.
                </p>
              </>
            ) : (
              <p className="text-xs text-slate-600">Send it as “Authorization: Bearer &lt;key&gt;”.</p>
            )}
          </>
        )}
      </ShownOnceDialog>
      {dialog}
    </div>
  );
}
