import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/db";
import { replicaLagSeconds, replicaReader } from "./replica";

// A real standby is tested in the cluster tier (test/cluster/topology.cluster.test.ts, under
// scripts/with-topology.sh). Here: what happens without one, or with a read URL that names a primary.
describe("replicaReader", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  it("reads the primary when no replica is configured", async () => {
    const read = replicaReader(t.db, null, () => {
      throw new Error("not called");
    });
    expect(await read()).toEqual({ db: t.db, replicaLagSeconds: null });
  });

  it("refuses a read URL that is not a standby, falls back to the primary, and checks again 30 seconds later", async () => {
    await expect(replicaLagSeconds(t.db)).rejects.toThrow(/not a standby/);
    const errors: unknown[] = [];
    let now = 0;
    const read = replicaReader(
      t.db,
      t.db,
      (e) => errors.push(e),
      () => now,
    );
    expect((await read()).replicaLagSeconds).toBeNull();
    expect((await read()).replicaLagSeconds).toBeNull();
    expect(errors).toHaveLength(1); // checked once
    now = 29_999;
    await read();
    expect(errors).toHaveLength(1); // a failed check is not repeated for 30 seconds
    now = 30_000;
    await read();
    expect(errors).toHaveLength(2);
    expect(String(errors[0])).toMatch(/DATABASE_READ_URL is not a standby/);
  });
});
