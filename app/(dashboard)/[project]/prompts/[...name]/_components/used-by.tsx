import Link from "next/link";
import type { Dependent } from "@/lib/release/plan/plan-dependents";
import { encodePromptName } from "@/lib/registry/name-rules";

/**
 * The prompts that include this one, per environment, with the version each serves there
 * (docs/decisions/partial-releases.md).
 */
export function UsedBy({ slug, rows }: { slug: string; rows: Dependent[] }) {
  return (
    <table className="w-full text-left text-sm" data-testid="used-by">
      <thead className="text-xs text-slate-500">
        <tr>
          <th className="py-1 pr-3 font-medium">Environment</th>
          <th className="py-1 pr-3 font-medium">Prompt</th>
          <th className="py-1 font-medium">Serves</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={`${d.environment}/${d.name}`} className="border-t border-slate-100" data-dependent={d.name}>
            <td className="py-1.5 pr-3 text-slate-700">{d.environment}</td>
            <td className="py-1.5 pr-3">
              <Link className="text-indigo-700 hover:underline" href={`/${slug}/prompts/${encodePromptName(d.name)}`}>
                {d.name}
              </Link>
              {d.direct ? null : <span className="text-slate-500"> (through another partial)</span>}
            </td>
            <td className="py-1.5 text-slate-700">version {d.serves}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
