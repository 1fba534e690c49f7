import type { ReactNode } from "react";
import { Th } from "@/components/ui/table";

/** The head of a table comparing each variant with the control on one metric a row. */
export function ComparisonHead({ metric, p }: { metric: string; p: ReactNode }) {
  return (
    <thead>
      <tr>
        <Th>{metric}</Th>
        <Th>Variant</Th>
        <Th className="text-right">Control</Th>
        <Th className="text-right">Variant</Th>
        <Th>Change</Th>
        <Th className="text-right">{p}</Th>
        <Th>Status</Th>
      </tr>
    </thead>
  );
}
