"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { roles, type Role } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { useConfirm } from "@/components/ui/confirm";
import { useToast } from "@/components/ui/toast";
import { errorAt, FormAlert, type FormError } from "@/components/ui/password-fields";
import {
  addMemberAction,
  passwordResetAction,
  removeMemberAction,
  revokeInvitationAction,
  setMemberRoleAction,
} from "../_actions";
import { CopyButton } from "./copy-button";

export type MemberView = { userId: string; email: string; name: string; role: Role };
export type InvitationView = { id: string; email: string; role: Role; expiresAt: string };
type Link = { title: string; url: string; note: string };

const roleHelp: Record<Role, string> = {
  viewer: "reads prompts and history",
  editor: "edits prompts, saves versions, deploys to unprotected environments, asks for reviews",
  approver: "also approves reviews, deploys to protected environments and rolls back",
  admin: "also manages members, API keys and environments",
};

export function MembersPanel({
  slug,
  members,
  invitations,
  me,
  blocked,
  mail,
}: {
  slug: string;
  members: MemberView[];
  invitations: InvitationView[];
  me: string;
  blocked: string | null;
  mail: boolean;
}) {
  const router = useRouter();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const [form, setForm] = useState({ email: "", role: "editor" as Role });
  const [link, setLink] = useState<Link | null>(null);
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  async function run<T>(p: Promise<{ ok: true; data: T } | { ok: false; message: string }>, success: string) {
    const r = await p;
    if (!r.ok) return toast.show(r.message, "error");
    toast.show(success);
    router.refresh();
  }

  async function add(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await addMemberAction(slug, form);
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    const d = r.data;
    if (d.kind === "added") toast.show(`Added ${d.email} as ${d.role}: they already had an account.`);
    else if (d.emailed) toast.show(`Invitation emailed to ${d.email}.`);
    else if (d.link)
      setLink({
        title: `Invitation for ${d.email}`,
        url: d.link,
        note: "No email is configured: send this one-time link to them yourself. They choose their own password; it expires in 7 days.",
      });
    setForm({ email: "", role: "editor" });
    router.refresh();
  }

  async function reset(m: MemberView) {
    const r = await passwordResetAction(slug, { userId: m.userId });
    if (!r.ok) return toast.show(r.message, "error");
    if (r.data.emailed) toast.show(`A reset link was emailed to ${r.data.email}.`);
    else if (r.data.link)
      setLink({
        title: `Password reset for ${r.data.email}`,
        url: r.data.link,
        note: "Send this one-time link to them; it expires in an hour and ends their other sessions when used.",
      });
  }

  return (
    <div className="flex flex-col gap-4">
      <Table caption="Members" stack>
        <TableHead columns={["Member", "Role"]} actions />
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <Td label="Member">
                <span className="font-medium text-slate-900">{m.name}</span>
                <span className="block text-xs text-slate-600">{m.email}</span>
              </Td>
              <Td label="Role">
                {blocked ? (
                  <span className="capitalize">{m.role}</span>
                ) : (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(e) =>
                      void run(
                        setMemberRoleAction(slug, { userId: m.userId, role: e.target.value as Role }),
                        `${m.email} is now ${e.target.value}.`,
                      )
                    }
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                  >
                    {roles.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                )}
              </Td>
              <Td label="Actions" className="text-right">
                {blocked ? null : (
                  <>
                    {m.userId === me ? null : (
                      <Button size="sm" variant="ghost" onClick={() => void reset(m)}>
                        {mail ? "Email a password reset" : "Password reset link"}
                      </Button>
                    )}
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={async () => {
                        const yes = await confirm({
                          title: m.userId === me ? "Leave this project?" : `Remove ${m.email} from this project?`,
                          body: "They lose access to its prompts at once; an admin can add them again.",
                          confirmLabel: m.userId === me ? "Leave" : "Remove",
                          danger: true,
                        });
                        if (yes) void run(removeMemberAction(slug, { userId: m.userId }), `Removed ${m.email}.`);
                      }}
                    >
                      {m.userId === me ? "Leave" : "Remove"}
                    </Button>
                  </>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <dl className="grid grid-cols-1 gap-1 text-xs text-slate-600 sm:grid-cols-2">
        {roles.map((r) => (
          <div key={r}>
            <dt className="inline font-semibold capitalize text-slate-800">{r}</dt>{" "}
            <dd className="inline">{roleHelp[r]}</dd>
          </div>
        ))}
      </dl>
      {invitations.length ? (
        <Table caption="Invitations not yet accepted" stack>
          <TableHead columns={["Invited", "Role"]} actions />
          <tbody>
            {invitations.map((i) => (
              <tr key={i.id}>
                <Td label="Invited">{i.email}</Td>
                <Td label="Role" className="capitalize">
                  {i.role}
                </Td>
                <Td label="Actions" className="text-right">
                  {blocked ? null : (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() =>
                        void run(revokeInvitationAction(slug, { id: i.id }), `Invitation for ${i.email} withdrawn.`)
                      }
                    >
                      Withdraw
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      ) : null}
      {link ? (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium text-slate-900">{link.title}</p>
          <p className="text-slate-700">{link.note}</p>
          <div className="flex items-center gap-2">
            <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="one-time-link">
              {link.url}
            </code>
            <CopyButton text={link.url} />
          </div>
          <Button size="sm" variant="ghost" className="self-start" onClick={() => setLink(null)}>
            Done
          </Button>
        </div>
      ) : null}
      <form
        onSubmit={(e) => void add(e)}
        className="grid grid-cols-1 gap-3 rounded-md border border-slate-200 p-4 md:grid-cols-[1fr_9rem_auto] md:items-end"
        aria-label="Add a member"
      >
        <Input
          label="Email"
          id="member-email"
          type="email"
          required
          value={form.email}
          onValue={(email) => setForm({ ...form, email })}
          hint={
            mail
              ? "Someone with an account is added at once; anyone else gets an invitation by email."
              : "Someone with an account is added at once; anyone else gets a one-time invitation link to pass on."
          }
          error={errorAt(error, "email")}
        />
        <Select
          label="Role"
          id="member-role"
          value={form.role}
          onValue={(role) => setForm({ ...form, role: role as Role })}
          options={roles}
        />
        <GatedButton type="submit" disabled={busy || !form.email} blockedReason={blocked}>
          Add or invite
        </GatedButton>
        <FormAlert error={error} fields={["email"]} className="text-sm text-red-800 md:col-span-3" />
      </form>
      {dialog}
    </div>
  );
}
