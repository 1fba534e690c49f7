// Updating and deleting model connections: the key replaced, removed or kept, projects isolated.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { modelConnections } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { deleteConnection, updateConnection } from "./connections";
import { decryptSecret } from "./secrets";
import { allow, createIn, fx, key, local, other, setUpConnections, t, updateIn } from "./connections.fixture";

setUpConnections();

describe("updating and deleting", () => {
  it("replaces or removes the key, keeps it when omitted, and isolates projects", async () => {
    const c = await createIn(local({ apiKey: "sk-first-1111" }));
    const renamed = await updateIn(c.id, { name: `${c.name}-x`, concurrency: 8 });
    expect(renamed).toMatchObject({ apiKeyHint: "…1111", concurrency: 8 });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    const rekeyed = await updateIn(c.id, { apiKey: "sk-second-2222" });
    expect(rekeyed.apiKeyHint).toBe("…2222");
    const [row] = await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id));
    expect(decryptSecret(row!.apiKey!, key, `model_connection:${c.id}`)).toBe("sk-second-2222");
    expect((await updateIn(c.id, { apiKey: null })).apiKeyHint).toBeNull();

    expect((await failure(updateConnection(other.ctx(other.admin), c.id, { name: "stolen" }, key, allow))).code).toBe(
      "not_found",
    );
    expect((await failure(deleteConnection(other.ctx(other.admin), c.id))).code).toBe("not_found");
    expect((await failure(updateIn(c.id, { concurrency: 300 }))).details?.field).toBe("concurrency");
    expect((await failure(updateIn(c.id, { baseUrl: null }))).code).toBe("unprocessable");

    await deleteConnection(fx.ctx(fx.admin), c.id);
    expect((await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id))).length).toBe(0);
  });

  it("drops this process's cached caller of a connection changed or deleted, and only then", async () => {
    const dropped: string[] = [];
    const callers = { invalidate: (id: string) => void dropped.push(id) };
    const c = await createIn(local());
    await failure(updateIn(c.id, { concurrency: 300 }, callers));
    expect(dropped).toEqual([]);
    await updateIn(c.id, { concurrency: 3 }, callers);
    expect(dropped).toEqual([c.id]);
    await deleteConnection(fx.ctx(fx.admin), c.id, callers);
    expect(dropped).toEqual([c.id, c.id]);
  });
});
