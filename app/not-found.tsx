import Link from "next/link";
import { currentUser } from "@/lib/server/wiring/session";
import { AuthCard } from "@/components/ui/auth-card";
import { SignOutButton } from "@/components/ui/sign-out-button";

export const metadata = { title: "Not found" };

// Also what someone sees on a project they are not (or no longer) a member of: the answer does not say
// whether the project exists, and leaves a way on.
export default async function NotFound() {
  const user = await currentUser();
  return (
    <AuthCard title="Not found">
      <p className="mt-2 text-sm text-slate-600">
        This page does not exist, or it belongs to a project you are not a member of. If you were removed from a
        project, ask one of its admins to add you again.
      </p>
      <div className="mt-6 flex flex-wrap items-center gap-3">
        <Link href="/" className="text-sm font-medium text-brand-700 underline">
          Your projects
        </Link>
        {user ? (
          <>
            <span className="text-sm text-slate-500">Signed in as {user.email}</span>
            <SignOutButton />
          </>
        ) : (
          <Link href="/login" className="text-sm font-medium text-brand-700 underline">
            Sign in
          </Link>
        )}
      </div>
    </AuthCard>
  );
}
