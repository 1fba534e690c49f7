// Updating and deleting model connections: the key replaced, removed or kept, projects isolated.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { modelConnections } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { createConnection, deleteConnection, updateConnection } from "./connections";
import { decryptSecret } from "./secrets";
import { allow, fx, key, local, other, setUpConnections, t } from "./connections.fixture";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

setUpConnections();

describe("updating and deleting", () => {
  it("replaces or removes the key, keeps it when omitted, and isolates projects", async () => {
    const c = await createConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      local({ apiKey: "sk-first-1111" }),
      key,
      allow,
    );
    const renamed = await updateConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      c.id,
      { name: `${c.name}-x`, concurrency: 8 },
      key,
      allow,
    );
    expect(renamed).toMatchObject({ apiKeyHint: "…1111", concurrency: 8 });
    expect(Date.parse(renamed.updatedAt)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt));
    const rekeyed = await updateConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      c.id,
      { apiKey: "sk-second-2222" },
      key,
      allow,
    );
    expect(rekeyed.apiKeyHint).toBe("…2222");
    const [row] = await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id));
    expect(decryptSecret(row!.apiKey!, key, `model_connection:${c.id}`)).toBe("sk-second-2222");
    expect(
      (
        await updateConnection(
          projectContext(t.db, fx.admin, fx.projectId, noEvents),
          c.id,
          { apiKey: null },
          key,
          allow,
        )
      ).apiKeyHint,
    ).toBeNull();

    expect(
      (
        await failure(
          updateConnection(
            projectContext(t.db, other.admin, other.projectId, noEvents),
            c.id,
            { name: "stolen" },
            key,
            allow,
          ),
        )
      ).code,
    ).toBe("not_found");
    expect(
      (await failure(deleteConnection(projectContext(t.db, other.admin, other.projectId, noEvents), c.id))).code,
    ).toBe("not_found");
    expect(
      (
        await failure(
          updateConnection(
            projectContext(t.db, fx.admin, fx.projectId, noEvents),
            c.id,
            { concurrency: 300 },
            key,
            allow,
          ),
        )
      ).details?.field,
    ).toBe("concurrency");
    expect(
      (
        await failure(
          updateConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), c.id, { baseUrl: null }, key, allow),
        )
      ).code,
    ).toBe("unprocessable");

    await deleteConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), c.id);
    expect((await t.db.select().from(modelConnections).where(eq(modelConnections.id, c.id))).length).toBe(0);
  });

  it("drops this process's cached caller of a connection changed or deleted, and only then", async () => {
    const dropped: string[] = [];
    const callers = { invalidate: (id: string) => void dropped.push(id) };
    const c = await createConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), local(), key, allow);
    await failure(
      updateConnection(
        projectContext(t.db, fx.admin, fx.projectId, noEvents),
        c.id,
        { concurrency: 300 },
        key,
        allow,
        callers,
      ),
    );
    expect(dropped).toEqual([]);
    await updateConnection(
      projectContext(t.db, fx.admin, fx.projectId, noEvents),
      c.id,
      { concurrency: 3 },
      key,
      allow,
      callers,
    );
    expect(dropped).toEqual([c.id]);
    await deleteConnection(projectContext(t.db, fx.admin, fx.projectId, noEvents), c.id, callers);
    expect(dropped).toEqual([c.id, c.id]);
  });
});
