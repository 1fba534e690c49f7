import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sql } from "drizzle-orm";
import { users } from "../../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { describeFailure, toAppError } from "./http-errors";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t.drop());

const secretHash = "scrypt$16384$8$1$c2FsdHNhbHQ$SECRET-HASH-VALUE";

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

describe("failed queries in the log", () => {
  it("name the statement's shape and the SQLSTATE, never the parameters", async () => {
    await t.db.insert(users).values({ email: "dup@example.com", name: "A", passwordHash: secretHash });
    const e = await failure(
      t.db.insert(users).values({ email: "dup@example.com", name: "B", passwordHash: secretHash }),
    );
    expect(String((e as Error).message)).toContain(secretHash); // what Drizzle itself would have logged
    const described = JSON.stringify(describeFailure(e));
    expect(described).not.toContain(secretHash);
    expect(described).not.toContain("dup@example.com");
    expect(described).toContain("insert into");
    expect(described).toContain("23505");
    expect(toAppError(e, "test").code).toBe("conflict");
  });

  it("an unexpected database error is logged without its values and answered as internal", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const e = await failure(t.db.execute(sql`select ${"prompt text the customer wrote"}::text, 1 / ${0}::int`));
      const err = toAppError(e, "GET /x");
      expect(err.code).toBe("internal");
      const logged = spy.mock.calls.map((c) => c.join(" ")).join("\n");
      expect(logged).toContain("22012");
      expect(logged).not.toContain("prompt text the customer wrote");
    } finally {
      spy.mockRestore();
    }
  });

  it("input the database refuses (a NUL character) is a 400, not a 500", async () => {
    const spy = vi.spyOn(console, "error").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const e = await failure(t.db.insert(users).values({ email: "nul@example.com", name: "a\u0000b" }));
      expect(toAppError(e, "test").code).toBe("invalid_input");
    } finally {
      spy.mockRestore();
      warn.mockRestore();
    }
  });
});
