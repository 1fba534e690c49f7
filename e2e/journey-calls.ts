// What the journey does besides the pages, as an application and the scheduler would: API calls with a
// key, what production serves a subject, a cron run, and demo traffic (scripts/demo-traffic.ts).
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export const base = () => process.env.LECTERN_TEST_BASE_URL!;
export async function api(key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(base() + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as any };
}
/** What the environment serves to a subject (through the runtime API, as an application asks). */
export const servedTo = async (key: string, subject: string) =>
  (await api(key, "GET", `/api/v1/prompts/resolve?name=support-reply&environment=production&subject=${subject}`))
    .body as { version: number; experiment: { id: string } | null };
export const cron = (name: string) =>
  fetch(`${base()}/api/cron/${name}`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.LECTERN_TEST_CRON_SECRET}` },
  });
export async function demoTraffic(key: string, ...extra: string[]) {
  const { stdout } = await run(
    "node_modules/.bin/tsx",
    [
      "scripts/demo-traffic.ts",
      "--url",
      base(),
      "--key",
      key,
      "--environment",
      "production",
      "--seconds",
      "0",
      "--hours",
      "0",
      ...extra,
    ],
    { timeout: 120_000 },
  );
  return stdout;
}
