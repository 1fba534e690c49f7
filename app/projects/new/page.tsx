import { requireUser } from "@/lib/server/wiring/session";
import { PageHeader } from "@/components/ui/page-header";
import { NewProjectForm } from "./_components/new-project-form";

export const metadata = { title: "New project" };

export default async function NewProjectPage() {
  const user = await requireUser();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <PageHeader
          breadcrumb={[{ href: "/", label: "Lectern" }, { label: "New project" }]}
          title="New project"
          description={`A project holds prompts, environments, members and API keys. You (${user.email}) will be its admin; development, staging and a protected production environment are created for you.`}
        />
        <NewProjectForm />
      </div>
    </main>
  );
}
