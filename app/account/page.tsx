import { listSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/server/wiring/db";
import { currentSessionId, requireUser } from "@/lib/server/wiring/session";
import { Card } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";
import { AccountForms } from "./_components/account-forms";

export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  const sessions = await listSessions(await getDb(), user.id, await currentSessionId());
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 p-6">
      <PageHeader
        breadcrumb={[{ href: "/", label: "Lectern" }, { label: "Your account" }]}
        title="Your account"
        description={user.email}
      />
      <Card
        title="Where you are signed in"
        description="Each browser you signed in from. Signing out, or a new password, ends sessions at once."
      >
        <ul className="divide-y divide-slate-100 text-sm">
          {sessions.map((s, i) => (
            <li key={i} className="flex flex-wrap justify-between gap-2 py-2">
              <span className="min-w-0 truncate">
                {s.userAgent ?? "Unknown browser"}
                {s.ip ? ` · ${s.ip}` : ""}
              </span>
              <span className="text-slate-600">
                {s.current ? <strong className="text-slate-900">This browser · </strong> : null}
                last active <Time value={s.lastSeenAt} />
              </span>
            </li>
          ))}
        </ul>
      </Card>
      <AccountForms others={sessions.filter((s) => !s.current).length} />
    </main>
  );
}
