import Link from "next/link";
import { describeInvitation } from "@/lib/auth/invitations";
import { isAppError } from "@/lib/errors";
import { getDb } from "@/lib/server/wiring/db";
import { passwordsOn } from "@/lib/server/wiring/auth";
import { currentUser } from "@/lib/server/wiring/session";
import { AuthCard } from "@/components/ui/auth-card";
import { AcceptInvitation } from "./_components/accept-invitation";

export const metadata = { title: "Invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = await getDb();
  const invitation = await describeInvitation(db, token).catch((e: unknown) => {
    if (isAppError(e)) return e.message;
    throw e;
  });
  if (typeof invitation === "string")
    return (
      <AuthCard title="Invitation">
        <p role="alert" className="mt-4 text-sm text-red-800">
          {invitation}
        </p>
      </AuthCard>
    );
  const user = await currentUser();
  const signedInAsInvitee = user?.email === invitation.email;
  return (
    <AuthCard title={`Join ${invitation.project.name}`}>
      <p className="mt-1 text-sm text-slate-600">
        {invitation.email} is invited as <strong>{invitation.role}</strong>.
      </p>
      {(invitation.hasAccount || !passwordsOn()) && !signedInAsInvitee ? (
        <p className="mt-6 text-sm">
          {invitation.hasAccount ? `An account for ${invitation.email} exists. ` : ""}
          <Link
            className="text-brand-700 underline"
            href={`/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}`}
          >
            Sign in as {invitation.email}
          </Link>{" "}
          to accept{user ? ` (you are signed in as ${user.email})` : ""}.
        </p>
      ) : (
        <AcceptInvitation token={token} email={invitation.email} newAccount={!invitation.hasAccount} />
      )}
    </AuthCard>
  );
}
