"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import { useField } from "@/components/forms/use-field";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { errorAt, FormAlert, type FormError } from "@/components/ui/password-fields";
import { createDatasetAction } from "../_actions";

export function NewDatasetForm({
  slug,
  prompts,
  initialPrompt,
}: {
  slug: string;
  prompts: string[];
  initialPrompt?: string;
}) {
  const router = useRouter();
  const name = useField();
  const prompt = useField(initialPrompt ?? "");
  const description = useField();
  const [error, setError] = useState<FormError>(null);
  const [busy, setBusy] = useState(false);

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const r = await createDatasetAction(slug, {
      name: name.value,
      prompt: prompt.value || null,
      description: description.value,
    });
    setBusy(false);
    if (!r.ok) return setError({ message: r.message, field: r.field });
    router.push(`/${slug}/datasets/${r.data.id}`);
  }

  return (
    <form onSubmit={(e) => void create(e)} className="flex flex-col gap-3" aria-label="Create a dataset">
      <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
        <Input label="Name" id="ds-name" {...name} required maxLength={100} error={errorAt(error, "name")} />
        <Select label="Prompt (optional)" id="ds-prompt" {...prompt} error={errorAt(error, "prompt")} options={prompts}>
          <option value="">Not tied to a prompt</option>
        </Select>
      </div>
      <Input label="Description (optional)" id="ds-description" {...description} maxLength={2000} />
      <div>
        <Button type="submit" disabled={busy || !name.value.trim()}>
          Create dataset
        </Button>
      </div>
      <FormAlert error={error} fields={["name", "prompt"]} className="text-sm text-red-800" />
    </form>
  );
}
