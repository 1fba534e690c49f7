// The real Lectern the SDK's api tests run against (scripts/with-server.sh starts it): its address, calls
// with the admin key, and the setup the experiment tests share.
export const baseUrl = process.env.LECTERN_TEST_BASE_URL ?? "";
export const adminKey = process.env.LECTERN_TEST_ADMIN_KEY ?? "";

/** Calls the server as the admin (or with `key`); throws naming the call when it is not 2xx. */
export async function admin<T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  key = adminKey,
): Promise<T> {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** A new runtime key's secret. */
export const newRuntimeKey = async (name: string) =>
  (await admin<{ key: string }>("POST", "/api/v1/api-keys", { name, scope: "runtime" })).key;

/** A text prompt with versions 1 and 2 (`templates`), version 1 live in production. */
export async function twoVersions(name: string, templates: [string, string], variables?: { name: string }[]) {
  await admin("POST", "/api/v1/prompts", {
    name,
    type: "text",
    template: templates[0],
    ...(variables && { variables }),
  });
  await admin("POST", `/api/v1/prompts/${name}/versions`, { template: templates[1] });
  await admin("POST", `/api/v1/prompts/${name}/deployments`, { environment: "production", version: 1 });
}

/** Creates a sequential experiment in production on the binary metric "completed", starts it, returns its id. */
export async function runningExperiment(experiment: Record<string, unknown>): Promise<string> {
  const { id } = await admin<{ id: string }>("POST", "/api/v1/experiments", {
    environment: "production",
    mode: "sequential",
    primaryMetric: { name: "completed", kind: "binary" },
    ...experiment,
  });
  await admin("POST", `/api/v1/experiments/${id}/start`);
  return id;
}

/** The variant the server's own resolve gives `subject` for `name`, or null. */
export async function serverVariant(name: string, subject: string, runtimeKey: string): Promise<string | null> {
  const r = await fetch(`${baseUrl}/api/v1/prompts/resolve?name=${name}&subject=${subject}`, {
    headers: { authorization: `Bearer ${runtimeKey}` },
  });
  return ((await r.json()) as { experiment: { variant: string } | null }).experiment?.variant ?? null;
}
