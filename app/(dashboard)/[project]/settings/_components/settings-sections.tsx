// The settings page's project card and new-project note, rendered on the server like the page.
import { defaultEnvironments } from "@/lib/auth/projects";
import { Card } from "@/components/ui/card";
import { CopyButton } from "./copy-button";

/** The project's name, slug and public id (the Langfuse public key). */
export function ProjectCard({ project }: { project: { name: string; slug: string; publicId: string } }) {
  return (
    <Card title="Project" id="project">
      <dl className="grid grid-cols-1 gap-4 text-sm md:grid-cols-3">
        <div>
          <dt className="text-xs font-medium text-slate-600">Name</dt>
          <dd className="mt-1 font-medium text-slate-900">{project.name}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">Slug</dt>
          <dd className="mt-1 font-mono">{project.slug}</dd>
        </div>
        <div>
          <dt className="text-xs font-medium text-slate-600">Public id (Langfuse-compatible API)</dt>
          <dd className="mt-1 flex items-center gap-2">
            <code className="break-all font-mono text-xs" data-testid="public-id">
              {project.publicId}
            </code>
            <CopyButton text={project.publicId} />
          </dd>
          <dd className="mt-1 text-xs text-slate-600">
            Use it as the Langfuse public key, with a Lectern API key as the secret key.
          </dd>
        </div>
      </dl>
    </Card>
  );
}

/** What every new project starts with, and how to make releases go through review and staging. */
export function NewProjectDefaults() {
  return (
    <div className="mt-4 rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="new-project-defaults">
      <p className="font-medium text-slate-800">What a new project starts with</p>
      <p className="mt-1">
        {defaultEnvironments.map((e) => e.name).join(", ")}. Only{" "}
        {defaultEnvironments
          .filter((e) => e.protected)
          .map((e) => e.name)
          .join(" and ")}{" "}
        is protected: only approvers and admins deploy there. No environment requires an approved review or a version
        that was live elsewhere first, so a new version can go straight to production: tick “Requires an approved
        review” and set “Must first be live in” above to make every release go through review and staging.
      </p>
    </div>
  );
}
