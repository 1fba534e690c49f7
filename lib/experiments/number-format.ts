// How experiment numbers read, the same on the server and in the browser: plain functions with no imports, so
// that a client component formatting a count does not load the statistics behind the verdict.

/** 1240 → "1,240" (fixed format, independent of the runtime's locale). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** 0.123 → "+12.3%", -0.05 → "-5.0%". */
export function formatPercent(x: number): string {
  const s = (x * 100).toFixed(1);
  return `${x >= 0 && !s.startsWith("-") ? "+" : ""}${s}%`;
}

/** p-values as people quote them: "p = 0.012", "p < 0.001". */
export function formatP(p: number): string {
  return p < 0.001 ? "p < 0.001" : `p = ${Number(p.toPrecision(2))}`;
}
