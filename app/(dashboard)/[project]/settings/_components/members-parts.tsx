"use client";

import { roles, type Role } from "@/lib/auth/permissions";
import { Button } from "@/components/ui/button";
import { Table, Td } from "@/components/ui/table";
import { TableHead } from "@/components/ui/table-head";
import { CopyButton } from "./copy-button";
import type { InvitationView, MemberView } from "./members-panel";

export type Link = { title: string; url: string; note: string };

const roleHelp: Record<Role, string> = {
  viewer: "reads prompts and history",
  editor: "edits prompts, saves versions, deploys to unprotected environments, asks for reviews",
  approver: "also approves reviews, deploys to protected environments and rolls back",
  admin: "also manages members, API keys and environments",
};

/** One member: who, their role (changed here by an admin), a password reset and removal (leaving, for oneself). */
export function MemberRow({
  m,
  me,
  blocked,
  mail,
  onRole,
  onReset,
  onRemove,
}: {
  m: MemberView;
  me: string;
  blocked: string | null;
  mail: boolean;
  onRole: (role: Role) => void;
  onReset: () => void;
  onRemove: () => Promise<void>;
}) {
  return (
    <tr>
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
            onChange={(e) => onRole(e.target.value as Role)}
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
              <Button size="sm" variant="ghost" onClick={onReset}>
                {mail ? "Email a password reset" : "Password reset link"}
              </Button>
            )}
            <Button size="sm" variant="ghost" onClick={() => void onRemove()}>
              {m.userId === me ? "Leave" : "Remove"}
            </Button>
          </>
        )}
      </Td>
    </tr>
  );
}

/** What each role may do. */
export function RoleHelp() {
  return (
    <dl className="grid grid-cols-1 gap-1 text-xs text-slate-600 sm:grid-cols-2">
      {roles.map((r) => (
        <div key={r}>
          <dt className="inline font-semibold capitalize text-slate-800">{r}</dt>{" "}
          <dd className="inline">{roleHelp[r]}</dd>
        </div>
      ))}
    </dl>
  );
}

/** The invitations not yet accepted, each withdrawable by an admin. */
export function InvitationsTable({
  invitations,
  blocked,
  onWithdraw,
}: {
  invitations: InvitationView[];
  blocked: string | null;
  onWithdraw: (invitation: InvitationView) => void;
}) {
  return (
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
                <Button size="sm" variant="ghost" onClick={() => onWithdraw(i)}>
                  Withdraw
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** A one-time link to pass on (an invitation or a password reset, when no email is configured), until Done. */
export function OneTimeLink({ link, onDone }: { link: Link; onDone: () => void }) {
  return (
    <div role="status" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <p className="font-medium text-slate-900">{link.title}</p>
      <p className="text-slate-700">{link.note}</p>
      <div className="flex items-center gap-2">
        <code className="break-all rounded bg-white px-2 py-1 font-mono text-xs" data-testid="one-time-link">
          {link.url}
        </code>
        <CopyButton text={link.url} />
      </div>
      <Button size="sm" variant="ghost" className="self-start" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}
