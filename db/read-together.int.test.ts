import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from "../test/db";
import { inTransaction, queryRows, readEach, readTogether } from "./client";

// Reads run side by side on the pool and one after another inside a transaction, whose one connection
// runs one query at a time (on PostgreSQL, test/db.ts fails any query sent to a busy connection).
describe("readTogether / readEach", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(() => t.drop());

  const read = (n: number) => () => queryRows<{ n: number }>(t.db, sql`select ${n}::int as n, pg_sleep(0.05)`);

  it("answers in order, outside a transaction and inside one", async () => {
    expect(inTransaction(t.db)).toBe(false);
    const [a, b] = await readTogether(t.db, [read(1), read(2)]);
    expect([a[0]!.n, b[0]!.n]).toEqual([1, 2]);
    await t.db.transaction(async (tx) => {
      expect(inTransaction(tx)).toBe(true);
      const q = (n: number) => () => queryRows<{ n: number }>(tx, sql`select ${n}::int as n, pg_sleep(0.05)`);
      const [x, y, z] = await readTogether(tx, [q(1), q(2), () => null]);
      expect([x[0]!.n, y[0]!.n, z]).toEqual([1, 2, null]);
      const each = await readEach(tx, [3, 4, 5], (n) => q(n)());
      expect(each.map((r) => r[0]!.n)).toEqual([3, 4, 5]);
    });
  });

  it("knows a transaction made by another copy of drizzle-orm (Next's bundle has its own)", async () => {
    await t.db.transaction(async (tx) => {
      // A copy of the class: same drizzle entity kind, not the same constructor.
      const Copy = class {};
      Object.defineProperty(Copy, Symbol.for("drizzle:entityKind"), { value: "PgTransaction" });
      const copy = Object.setPrototypeOf({ ...tx }, Copy.prototype) as typeof tx;
      expect(copy instanceof tx.constructor).toBe(false);
      expect(inTransaction(copy)).toBe(true);
    });
    expect(inTransaction(Object.setPrototypeOf({}, class {}.prototype))).toBe(false);
  });

  it.runIf(testDatabaseUrl)("the test database refuses two queries at once on a transaction's connection", async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await Promise.all([1, 2].map((n) => queryRows(tx, sql`select ${n}::int, pg_sleep(0.05)`)));
      }),
    ).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^Two queries at once on one connection/) } });
  });
});
