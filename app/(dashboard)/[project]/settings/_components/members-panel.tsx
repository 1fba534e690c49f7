"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { roles, type Role } from "@/lib/auth/permissions";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table } from "@/components/ui/table";
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
import { InvitationsTable, MemberRow, OneTimeLink, RoleHelp, type Link } from "./members-parts";

export type MemberView = { userId: string; email: string; name: string; role: Role };
export type InvitationView = { id: string; email: string; role: Role; expiresAt: string };

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
            <MemberRow
              key={m.userId}
              m={m}
              me={me}
              blocked={blocked}
              mail={mail}
              onRole={(role) =>
                void run(setMemberRoleAction(slug, { userId: m.userId, role }), `${m.email} is now ${role}.`)
              }
              onReset={() => void reset(m)}
              onRemove={async () => {
                const yes = await confirm({
                  title: m.userId === me ? "Leave this project?" : `Remove ${m.email} from this project?`,
                  body: "They lose access to its prompts at once; an admin can add them again.",
                  confirmLabel: m.userId === me ? "Leave" : "Remove",
                  danger: true,
                });
                if (yes) void run(removeMemberAction(slug, { userId: m.userId }), `Removed ${m.email}.`);
              }}
            />
          ))}
        </tbody>
      </Table>
      <RoleHelp />
      {invitations.length ? (
        <InvitationsTable
          invitations={invitations}
          blocked={blocked}
          onWithdraw={(i) =>
            void run(revokeInvitationAction(slug, { id: i.id }), `Invitation for ${i.email} withdrawn.`)
          }
        />
      ) : null}
      {link ? <OneTimeLink link={link} onDone={() => setLink(null)} /> : null}
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
