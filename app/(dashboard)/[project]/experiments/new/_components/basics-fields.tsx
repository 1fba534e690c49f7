"use client";

import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import type { PromptChoices } from "@/lib/views/prompt-choices";
import { fieldBinder, type SectionProps } from "./form-state";

/** The prompt and environment compared in, the experiment's name, its coverage and hypothesis. */
export function BasicsFields({
  s,
  set,
  readOnly,
  error: fieldError,
  prompts,
  environments,
  live,
  onPrompt,
  onEnvironment,
}: SectionProps & {
  prompts: { name: string; versions: number }[];
  environments: { name: string; protected: boolean }[];
  /** The version each environment serves now: the control. */
  live: PromptChoices["live"];
  onPrompt: (name: string) => void;
  onEnvironment: (name: string) => void;
}) {
  const field = fieldBinder({ s, set, readOnly });
  return (
    <div className="grid gap-4 md:grid-cols-2">
      <Select
        label="Prompt"
        id="experiment-prompt"
        {...field.choice(s.prompt, onPrompt)}
        error={fieldError("prompt")}
        options={prompts.map((p) => ({
          value: p.name,
          label: `${p.name} (${p.versions} version${p.versions === 1 ? "" : "s"})`,
        }))}
      />
      <Select
        label="Environment"
        id="experiment-environment"
        {...field.choice(s.environment, onEnvironment)}
        error={fieldError("environment")}
        hint={
          live[s.environment]
            ? `Serves v${live[s.environment]} now: that is the control. A promotion or rollback there stops the experiment.`
            : `Nothing is live in ${s.environment}: promote a version there first; an experiment splits what the environment serves.`
        }
      >
        {environments.map((e) => (
          <option key={e.name} value={e.name}>
            {e.name}
            {e.protected ? " (protected)" : ""}
          </option>
        ))}
      </Select>
      <Input
        label="Name"
        id="experiment-name"
        {...field("name")}
        placeholder="Shorter replies"
        error={fieldError("name")}
        required
      />
      <Input
        label="Coverage (%)"
        id="experiment-coverage"
        {...field.number("coverage", { min: 0, max: 100 })}
        error={fieldError("coverage")}
        hint="Share of users in the experiment; the others get the control."
      />
      <div className="md:col-span-2">
        <Textarea
          label="Hypothesis"
          id="experiment-hypothesis"
          rows={2}
          {...field("hypothesis")}
          placeholder="Shorter replies get more thumbs up without costing more"
          error={fieldError("hypothesis")}
        />
      </div>
    </div>
  );
}
