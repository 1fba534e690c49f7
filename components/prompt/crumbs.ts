import { encodePromptName } from "@/lib/registry/name-rules";

/**
 * The breadcrumb of a page about one prompt: the prompt list, then the prompt. A page about one of its versions
 * links back to the prompt page showing that version (?version=N, the version in view the pages share).
 */
export function promptCrumbs(slug: string, name: string, version?: number) {
  return [
    { href: `/${slug}/prompts`, label: "Prompts" },
    { href: `/${slug}/prompts/${encodePromptName(name)}${version ? `?version=${version}` : ""}`, label: name },
  ];
}
