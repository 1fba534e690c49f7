import Link from "next/link";
import { listSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/server/wiring/db";
import { currentSessionId, requireUser } from "@/lib/server/wiring/session";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { AccountForms } from "./_components/account-forms";

export const metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  const sessions = await listSessions(await getDb(), user.id, await currentSessionId());
  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-6 p-6">
      <div>
        <Link href="/" className="text-sm text-brand-700 underline">
          ← Back to Lectern
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Your account</h1>
        <p className="mt-1 text-sm text-slate-600">{user.email}</p>
      </div>
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
