import { requireUser } from "@/lib/server/wiring/session";
import { NewProjectForm } from "./_components/new-project-form";

export const metadata = { title: "New project" };

export default async function NewProjectPage() {
  const user = await requireUser();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <h1 className="text-xl font-semibold">New project</h1>
        <p className="mt-1 text-sm text-slate-600">
          A project holds prompts, environments, members and API keys. You ({user.email}) will be its admin;
          development, staging and a protected production environment are created for you.
        </p>
        <NewProjectForm />
      </div>
    </main>
  );
}
