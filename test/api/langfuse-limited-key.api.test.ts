// A runtime key limited to some environments sees, on the Langfuse routes, only what it may read.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./client";
import { langfuseKeys } from "./langfuse-setup";

let publicId = "";

beforeAll(async () => {
  ({ publicId } = await langfuseKeys());
});

describe("an environment-limited key on the Langfuse routes", () => {
  it("lists only prompts, versions, labels and configs it may read", async () => {
    const tag = `lim-${randomBytes(3).toString("hex")}`;
    const seen = `${tag}-seen`;
    const hidden = `${tag}-hidden`;
    for (const name of [seen, hidden]) {
      await call("POST", "/api/v1/prompts", {
        body: { name, type: "text", template: "v1", tags: [tag], config: { model: "public-model" } },
      });
      await call("POST", `/api/v1/prompts/${name}/versions`, {
        body: { template: "v2 secret draft", config: { model: "secret-model" } },
      });
    }
    await call("POST", `/api/v1/prompts/${seen}/deployments`, { body: { environment: "development", version: 1 } });
    await call("POST", `/api/v1/prompts/${hidden}/deployments`, { body: { environment: "staging", version: 2 } });
    const limited = (
      await call("POST", "/api/v1/api-keys", {
        body: { name: "dev only", scope: "runtime", environments: ["development"] },
      })
    ).body.key as string;
    const basic = `Basic ${Buffer.from(`${publicId}:${limited}`).toString("base64")}`;
    const list = await call("GET", `/api/public/v2/prompts?tag=${tag}`, {
      key: null,
      headers: { authorization: basic },
    });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        name: seen,
        versions: [1],
        labels: ["development"],
        lastConfig: { model: "public-model" },
      }),
    ]);
    expect(list.body.meta.totalItems).toBe(1);
    expect(JSON.stringify(list.body)).not.toMatch(/secret|staging|latest/);
    // One prompt by name: its labels are only those the key may read too.
    const one = await call("GET", `/api/public/v2/prompts/${seen}?label=development`, {
      key: null,
      headers: { authorization: basic },
    });
    expect([one.status, one.body.labels]).toEqual([200, ["development"]]);
  });
});
