import { redirect } from "next/navigation";
import type { ProjectPageProps } from "@/lib/server/wiring/page-props";

export default async function ProjectHome({ params }: ProjectPageProps) {
  redirect(`/${(await params).project}/prompts`);
}
