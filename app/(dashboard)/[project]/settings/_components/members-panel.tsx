"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { roles, type Role } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import { GatedButton } from "@/components/ui/gated-button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, Td, Th } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { addMemberAction, removeMemberAction, setMemberRoleAction } from "../_actions";

export type MemberView = { userId: string; email: string; name: string; role: Role };

const roleHelp: Record<Role, string> = {
  viewer: "reads prompts and history",
  editor: "edits prompts, saves versions, deploys to unprotected environments, asks for reviews",
  approver: "also approves reviews, deploys to protected environments and rolls back",
  admin: "also manages members, API keys and environments",
};

export function MembersPanel({ slug, members, me, blocked }: { slug: string; members: MemberView[]; me: string; blocked: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [form, setForm] = useState({ email: "", name: "", password: "", role: "editor" as Role });
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
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
    toast.show(`Added ${r.data.email} as ${r.data.role}.`);
    setForm({ email: "", name: "", password: "", role: "editor" });
    router.refresh();
  }

  return (
    <div className="flex flex-col gap-4">
      <Table caption="Members">
        <thead>
          <tr>
            <Th>Member</Th>
            <Th>Role</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {members.map((m) => (
            <tr key={m.userId}>
              <Td>
                <span className="font-medium text-slate-900">{m.name}</span>
                <span className="block text-xs text-slate-600">{m.email}</span>
              </Td>
              <Td>
                {blocked ? (
                  <span className="capitalize">{m.role}</span>
                ) : (
                  <select
                    aria-label={`Role of ${m.email}`}
                    value={m.role}
                    onChange={(e) => void run(setMemberRoleAction(slug, { userId: m.userId, role: e.target.value as Role }), `${m.email} is now ${e.target.value}.`)}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
                  >
                    {roles.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </select>
                )}
              </Td>
              <Td className="text-right">
                {blocked ? null : (
                  <Button
                    size="sm"
                    variant="ghost"
                    onClick={() => {
                      if (window.confirm(`Remove ${m.email} from this project?`)) void run(removeMemberAction(slug, { userId: m.userId }), `Removed ${m.email}.`);
                    }}
                  >
                    {m.userId === me ? "Leave" : "Remove"}
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
      <dl className="grid gap-1 text-xs text-slate-600 sm:grid-cols-2">
        {roles.map((r) => (
          <div key={r}>
            <dt className="inline font-semibold capitalize text-slate-800">{r}</dt> <dd className="inline">{roleHelp[r]}</dd>
          </div>
        ))}
      </dl>
      <form onSubmit={(e) => void add(e)} className="grid gap-3 rounded-md border border-slate-200 p-4 md:grid-cols-[1fr_1fr_1fr_9rem_auto] md:items-end" aria-label="Add a member">
        <Input label="Email" id="member-email" type="email" required value={form.email} onChange={(e) => setForm({ ...form, email: e.target.value })} error={error?.field === "email" ? error.message : undefined} />
        <Input label="Name (new users)" id="member-name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        <Input label="Password (new users)" id="member-password" type="password" autoComplete="new-password" value={form.password} onChange={(e) => setForm({ ...form, password: e.target.value })} error={error?.field === "password" ? error.message : undefined} />
        <Select label="Role" id="member-role" value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value as Role })}>
          {roles.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </Select>
        <GatedButton type="submit" disabled={busy || !form.email} blockedReason={blocked}>
          Add member
        </GatedButton>
        {error && error.field !== "email" && error.field !== "password" ? (
          <p role="alert" className="text-sm text-red-800 md:col-span-5">
            {error.message}
          </p>
        ) : null}
      </form>
    </div>
  );
}
