import { isPlainObject } from "@/lib/registry/json";

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… (${text.length.toLocaleString("en")} characters)` : text;
const plain = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? String(v)));

/**
 * The variables a prompt was rendered with, as a table of name → value (text as it is, other values
 * as compact JSON); the raw JSON stays one click away under "Advanced". Not an object: shown as it is.
 */
export function VariablesTable({
  value,
  caption = "Variables",
  max = 2000,
}: {
  value: unknown;
  caption?: string;
  max?: number;
}) {
  if (value === undefined || value === null) return <span className="text-slate-400">—</span>;
  if (!isPlainObject(value)) return <span className="whitespace-pre-wrap break-words">{cut(plain(value), max)}</span>;
  const entries = Object.entries(value);
  if (!entries.length) return <span className="text-xs text-slate-500">No variables</span>;
  return (
    <div className="flex min-w-48 flex-col gap-1" data-testid="variables-table">
      <table className="w-full border-collapse text-left text-xs">
        <caption className="sr-only">{caption}</caption>
        <tbody>
          {entries.map(([k, v]) => (
            <tr key={k} className="border-b border-slate-100 last:border-0">
              <th scope="row" className="py-1 pr-2 align-top font-mono font-medium text-slate-600">
                {k}
              </th>
              <td className="whitespace-pre-wrap break-words py-1 align-top text-slate-900">
                {v === "" ? <span className="text-slate-500">(empty)</span> : cut(plain(v), max)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="text-xs">
        <summary className="w-fit cursor-pointer text-slate-600 hover:text-slate-900">Advanced: raw JSON</summary>
        <pre className="mt-1 max-h-40 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 p-2 font-mono">
          {cut(JSON.stringify(value, null, 2), max)}
        </pre>
      </details>
    </div>
  );
}
