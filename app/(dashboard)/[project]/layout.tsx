import Link from "next/link";
import { listProjectsForUser } from "@/lib/auth/projects";
import { countOpenAlerts } from "@/lib/evaluation/online/alerts";
import { listReviews } from "@/lib/release/reviews/reviews";
import { getDb } from "@/lib/server/wiring/db";
import { requireProject } from "@/lib/server/wiring/session";
import { ToastProvider } from "@/components/ui/toast";
import { WelcomeToast } from "@/components/ui/welcome-toast";
import { HeaderMenu } from "./_components/header-menu";
import { ProjectSwitcher } from "./_components/project-switcher";
import { SignOutButton } from "@/components/ui/sign-out-button";

export default async function DashboardLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ project: string }>;
}) {
  const { project: slug } = await params;
  const ctx = await requireProject(slug);
  const db = await getDb();
  const [projects, pending, openAlerts] = await Promise.all([
    listProjectsForUser(db, ctx.user.id),
    listReviews(db, ctx.project.id, { status: "pending", limit: 100 }),
    countOpenAlerts(db, ctx.project.id),
  ]);
  return (
    <ToastProvider>
      <WelcomeToast slug={slug} projectName={ctx.project.name} role={ctx.role} />
      <div className="flex min-h-screen flex-col">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 focus:shadow"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <div className="relative mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-2 px-4 py-3">
            <Link href={`/${slug}/prompts`} className="text-lg font-semibold tracking-tight text-brand-700">
              Lectern
            </Link>
            <ProjectSwitcher current={slug} projects={projects.map((p) => ({ slug: p.slug, name: p.name }))} />
            <HeaderMenu
              slug={slug}
              pendingReviews={pending.length}
              openAlerts={openAlerts}
              account={
                <>
                  <span title={`${ctx.user.email} · role in this project: ${ctx.role}`} className="flex min-w-0">
                    <Link href="/account" className="truncate hover:underline md:max-w-[9rem]">
                      {ctx.user.email}
                    </Link>
                    <span className="whitespace-pre">
                      {" · "}
                      <span className="font-medium">{ctx.role}</span>
                    </span>
                  </span>
                  <SignOutButton />
                </>
              }
            />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
          {children}
        </main>
      </div>
    </ToastProvider>
  );
}
