import { encodePromptName } from "@/lib/registry/name-rules";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, Td, Th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { EnvBadge } from "@/components/release/release-badges";
import type { PromptLibraryItem } from "@/lib/views/prompt-library";

export const promptHref = (slug: string, name: string) => `/${slug}/prompts/${encodePromptName(name)}`;

export function PromptTable({ slug, items }: { slug: string; items: PromptLibraryItem[] }) {
  return (
    <Table caption="Prompts" stack>
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Live versions</Th>
          <Th>Tags</Th>
          <Th>Owner</Th>
          <Th>Last edit</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((p) => (
          <tr key={p.name} className="hover:bg-slate-50">
            <Td label="Name" className="min-w-[14rem]">
              <Link href={promptHref(slug, p.name)} className="font-medium text-brand-700 hover:underline">
                {p.name}
              </Link>
              <span className="ml-2 text-xs text-slate-500">v{p.latestVersion}</span>
              {p.runningExperiments ? (
                <Link href={`/${slug}/experiments?prompt=${encodeURIComponent(p.name)}`} className="ml-2">
                  <Badge tone="violet">experiment running</Badge>
                </Link>
              ) : null}
              {p.openAlerts ? (
                <Link href={`/${slug}/alerts`} className="ml-2">
                  <Badge tone="red">
                    {p.openAlerts} open alert{p.openAlerts === 1 ? "" : "s"}
                  </Badge>
                </Link>
              ) : null}
              {p.description ? <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">{p.description}</p> : null}
            </Td>
            <Td label="Live versions">
              <div className="flex flex-wrap gap-1">
                {p.live.map((l) => (
                  <EnvBadge
                    key={l.environment}
                    environment={l.environment}
                    version={l.version}
                    title={
                      l.version == null
                        ? `Nothing live in ${l.environment}`
                        : `${l.environment} serves version ${l.version}`
                    }
                  />
                ))}
              </div>
            </Td>
            <Td label="Tags">
              <div className="flex flex-wrap gap-1">
                {p.tags.map((t) => (
                  <Link key={t} href={`/${slug}/prompts?tag=${encodeURIComponent(t)}`} className="rounded-full">
                    <Badge>{t}</Badge>
                  </Link>
                ))}
              </div>
            </Td>
            <Td label="Owner" className="text-xs text-slate-700">
              {p.owner ?? "—"}
            </Td>
            <Td label="Last edit" className="whitespace-nowrap text-xs text-slate-600">
              {p.lastEdit ? (
                <>
                  <span className="block font-medium text-slate-800">{p.lastEdit.by}</span>
                  <Time value={p.lastEdit.at} />
                </>
              ) : (
                "—"
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
