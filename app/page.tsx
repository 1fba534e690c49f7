import Link from "next/link";
import { redirect } from "next/navigation";
import { listProjectsForUser } from "@/lib/auth/projects";
import { getDb } from "@/lib/server/wiring/db";
import { requireUser } from "@/lib/server/wiring/session";
import { PageHeader } from "@/components/ui/page-header";
import { SignOutButton } from "@/components/ui/sign-out-button";

export default async function Home() {
  const user = await requireUser();
  const projects = await listProjectsForUser(await getDb(), user.id);
  if (projects[0]) redirect(`/${projects[0].slug}/prompts`);
  return (
    <main className="mx-auto max-w-lg p-10">
      <PageHeader
        title="No projects yet"
        description={
          <>
            You are signed in as {user.email}, but you are not a member of any project. Ask a project admin to add you,
            or{" "}
            <Link href="/projects/new" className="text-brand-700 underline">
              create a project
            </Link>
            .
          </>
        }
      />
      <div className="mt-4">
        <SignOutButton />
      </div>
    </main>
  );
}
