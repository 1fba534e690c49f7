// What `npm run bench` reports: the rows of the printed table, and the numbers written to
// bench/results.json. Each section of the bench adds to both.
export type Row = [string, string, string, string];

export interface Report {
  results: Record<string, unknown>;
  rows: Row[];
}

export const us = (x: number) => `${x.toFixed(1)} µs`;
export const ms = (x: number) => `${x.toFixed(2)} ms`;

/** The rows as a Markdown table. */
export function table(rows: Row[]): string {
  const header = ["measure", "p50 / throughput", "p99 / latency", "target"];
  const width = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), header[i]!.length));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(width[i]!)).join(" | ")} |`;
  return [line(header), `|${width.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
