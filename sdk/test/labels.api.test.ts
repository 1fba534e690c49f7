// Version labels against a real Lectern: set and moved with the REST endpoints, fetched by the SDK's
// getPrompt({ label }), whose cached answer follows a move pushed over the event stream; and the refusals.
import { afterAll, describe, expect, it } from "vitest";
import { createClient, LecternError, LecternNotFoundError, type LecternClient } from "../src/index";
import { eventually } from "./fake-server";
import { admin, baseUrl, newRuntimeKey, twoVersions } from "./lectern";

if (!baseUrl)
  throw new Error("LECTERN_TEST_BASE_URL is not set: run the api tier through scripts/with-server.sh (npm test does).");

const suffix = Math.random().toString(36).slice(2, 8);
const name = `labels-${suffix}`;
const clients: LecternClient[] = [];
afterAll(async () => Promise.all(clients.map((c) => c.close())));

/** A raw call, for the refusals' status and body. */
async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${process.env.LECTERN_TEST_ADMIN_KEY}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, never> };
}

describe("version labels", () => {
  it("are set and moved through the REST API, and the SDK's answer by label follows each move", async () => {
    await twoVersions(name, ["one", "two"]);
    const set = await admin("PUT", `/api/v1/prompts/${name}/version-labels/v1.2`, { version: 1 });
    expect(set).toEqual({ status: "set", prompt: name, label: "v1.2", version: 1, previousVersion: null });
    const lectern = createClient({ baseUrl, apiKey: await newRuntimeKey(`labels-${suffix}`), onError: () => {} });
    clients.push(lectern);
    const first = await lectern.getPrompt(name, { label: "v1.2" });
    expect([first.version, first.render({})]).toEqual([1, "one"]);
    expect((await lectern.getPrompt(name, { label: "v1.2" })).source).toBe("cache");
    // What production serves is another entry, untouched by the label.
    expect((await lectern.getPrompt(name)).version).toBe(1);
    await admin("PUT", `/api/v1/prompts/${name}/version-labels/v1.2`, { version: 2 });
    await eventually(async () => (await lectern.getPrompt(name, { label: "v1.2" })).version === 2, 10_000, "the move");
    expect((await lectern.getPrompt(name)).version).toBe(1);
    expect((await lectern.getPrompt(name, { label: "latest" })).version).toBe(2);
    const listed = await admin<{ data: unknown[]; history: unknown[] }>(
      "GET",
      `/api/v1/prompts/${name}/version-labels`,
    );
    expect(listed.data).toEqual([{ label: "v1.2", version: 2, since: expect.any(String), by: expect.any(String) }]);
    expect(listed.history).toMatchObject([
      { label: "v1.2", version: 2, previous: 1 },
      { label: "v1.2", version: 1, previous: null },
    ]);
    const detail = await admin<{ versionLabels: Record<string, { version: number }> }>(
      "GET",
      `/api/v1/prompts/${name}`,
    );
    expect(detail.versionLabels).toMatchObject({ "v1.2": { version: 2 } });
    await admin("DELETE", `/api/v1/prompts/${name}/version-labels/v1.2`);
    await eventually(
      () =>
        lectern.getPrompt(name, { label: "v1.2" }).then(
          () => false,
          (e) => e instanceof LecternNotFoundError,
        ),
      10_000,
      "the removal",
    );
  });

  it("refuses what a label cannot be, naming why, and an environment named like a label", async () => {
    await admin("PUT", `/api/v1/prompts/${name}/version-labels/keep`, { version: 1 });
    const env = await call("PUT", `/api/v1/prompts/${name}/version-labels/production`, { version: 1 });
    expect([env.status, env.body.error]).toEqual([
      400,
      expect.objectContaining({ code: "invalid_input", message: expect.stringContaining("is an environment") }),
    ]);
    expect((await call("PUT", `/api/v1/prompts/${name}/version-labels/latest`, { version: 1 })).status).toBe(400);
    expect((await call("PUT", `/api/v1/prompts/${name}/version-labels/v1`, { version: 9 })).status).toBe(404);
    expect((await call("PUT", `/api/v1/prompts/${name}/version-labels/v1`, {})).status).toBe(400);
    expect((await call("DELETE", `/api/v1/prompts/${name}/version-labels/none`)).status).toBe(404);
    const created = await call("POST", "/api/v1/environments", { name: "keep" });
    expect([created.status, created.body.error]).toEqual([
      409,
      expect.objectContaining({ details: expect.objectContaining({ versionLabel: "keep", prompts: [name] }) }),
    ]);
    const lectern = createClient({ baseUrl, apiKey: await newRuntimeKey(`labels-b-${suffix}`), onError: () => {} });
    clients.push(lectern);
    await expect(lectern.getPrompt(name, { label: "keep", version: 1 })).rejects.toBeInstanceOf(LecternError);
    await expect(lectern.getPrompt(name, { label: "staging" })).rejects.toMatchObject({ code: "invalid_input" });
  });
});
