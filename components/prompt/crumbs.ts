import { encodePromptName } from "@/lib/registry/name-rules";

/** The breadcrumb of a page about one prompt: the prompt list, then the prompt. */
export function promptCrumbs(slug: string, name: string) {
  return [
    { href: `/${slug}/prompts`, label: "Prompts" },
    { href: `/${slug}/prompts/${encodePromptName(name)}`, label: name },
  ];
}
