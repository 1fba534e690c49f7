import { WorkspaceSkeleton } from "@/components/editor/workspace-skeleton";

export default function Loading() {
  return <WorkspaceSkeleton label="Loading the editor…" />;
}
