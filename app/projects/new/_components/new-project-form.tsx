"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { errorAt, FormAlert, type FormError } from "@/components/ui/password-fields";
import { createProjectAction } from "../_actions";

const slugify = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);

export function NewProjectForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [error, setError] = useState<FormError>(null);
  const [pending, setPending] = useState(false);

  async function onSubmit(e: React.FormEvent) {
    e.preventDefault();
    setPending(true);
    setError(null);
    const r = await createProjectAction({ name, slug });
    if (r.ok) return router.push(`/${r.data.slug}/prompts`);
    setPending(false);
    setError({ message: r.message, field: r.field });
  }

  return (
    <form onSubmit={onSubmit} className="mt-6 flex flex-col gap-4" noValidate>
      <Input
        label="Name"
        name="name"
        value={name}
        onValue={(v) => {
          setName(v);
          if (!slugEdited) setSlug(slugify(v));
        }}
        error={errorAt(error, "name")}
        required
      />
      <Input
        label="Slug"
        name="slug"
        value={slug}
        onValue={(v) => {
          setSlug(v);
          setSlugEdited(true);
        }}
        hint="Used in URLs: lowercase letters, digits and '-'."
        error={errorAt(error, "slug")}
        required
      />
      <FormAlert error={error} fields={["name", "slug"]} />
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create project"}
      </Button>
    </form>
  );
}
