import { decodePromptPath } from "@/lib/registry/name-rules";
import { requireProject } from "./session";

/**
 * What Next gives a page under /[project]: its route parameters (the project's slug, and `P`) and its
 * query (`Q`), each a promise.
 */
export type ProjectPageProps<Q = object, P = object> = {
  params: Promise<{ project: string } & P>;
  searchParams: Promise<Q>;
};

/** A page under /[project]/<section>/[...name]: the prompt's (or bundle's) name as path segments. */
export type NamedPageProps<Q = object> = ProjectPageProps<Q, { name: string[] }>;

/** A prompt page's generateMetadata: its title is `prefix` and the prompt's name ("Prompt" for a bad path). */
export const promptPageTitle =
  (prefix: string) =>
  async ({ params }: Pick<NamedPageProps, "params">) => ({
    title: `${prefix}${decodePromptPath((await params).name) ?? "Prompt"}`,
  });

/**
 * What a page under /[project] reads first: its project's slug, its query, and the signed-in member's context
 * in that project (requireProject: not a member → not found).
 */
export async function projectPage<Q>({
  params,
  searchParams,
}: {
  params: Promise<{ project: string }>;
  searchParams?: Promise<Q>;
}) {
  const { project: slug } = await params;
  const sp = searchParams ? await searchParams : ({} as Q);
  const ctx = await requireProject(slug);
  return { slug, sp, ctx };
}
