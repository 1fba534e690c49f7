import { EvaluationTabs } from "../_components/evaluation-tabs";

// Runs, datasets and comparisons are one section with one sub-navigation.
export default async function EvaluationLayout({
  children,
  params,
}: {
  children: React.ReactNode;
  params: Promise<{ project: string }>;
}) {
  const { project } = await params;
  return (
    <>
      <EvaluationTabs slug={project} />
      {children}
    </>
  );
}
