"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { ApiKeySummary } from "@/lib/auth/api-keys";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useConfirmedMove } from "@/components/forms/use-confirmed-move";
import { AlertLine } from "@/components/ui/alert-line";
import { createApiKeyAction, revokeApiKeyAction } from "../_actions";
import { ApiKeysTable, KeyEnvironments, type KeyScope } from "./api-keys-parts";
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
  const { move, dialog } = useConfirmedMove();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<KeyScope>("runtime");
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

  const revoke = (k: ApiKeySummary) =>
    move(
      { title: `Revoke ${k.name}?`, body: "Applications using it stop working at once.", confirmLabel: "Revoke key" },
      () => revokeApiKeyAction(slug, { id: k.id }),
      `Revoked ${k.name}.`,
    );

  return (
    <div className="flex flex-col gap-4">
      <ApiKeysTable keys={keys} onRevoke={(k) => void revoke(k)} />
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
        <Select label="Scope" id="key-scope" value={scope} onValue={(v) => setScope(v as KeyScope)}>
          <option value="runtime">runtime: resolve prompts</option>
          <option value="skills">skills: a URL agents install skills from</option>
          <option value="admin">admin: everything, incl. management API</option>
        </Select>
        <Button type="submit" disabled={busy || !name.trim()}>
          Create key
        </Button>
        <KeyEnvironments
          scope={scope}
          environments={environments}
          limitTo={limitTo}
          onLimitTo={setLimitTo}
          skillsEnv={skillsEnv}
          onSkillsEnv={setSkillsEnv}
        />
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
