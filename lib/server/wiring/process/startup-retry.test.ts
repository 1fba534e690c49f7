import { describe, expect, it } from "vitest";
import { errorChain, isTransientStartupError, withStartupRetries } from "./startup-retry";

// What drizzle throws for a failed query: its own message, the driver's error as the cause.
const drizzleError = (cause: unknown) =>
  Object.assign(new Error("Failed query: select id from installation\nparams: "), { cause });
const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe("startup errors", () => {
  it("prints the whole cause chain, not only drizzle's 'Failed query'", () => {
    const e = drizzleError(pgError("53300", "sorry, too many clients already"));
    expect(errorChain(e)).toBe(
      "Failed query: select id from installation; caused by: sorry, too many clients already (53300)",
    );
  });

  it.each([
    [pgError("53300", "sorry, too many clients already"), true],
    [pgError("57P03", "the database system is starting up"), true],
    [Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }), true],
    [new Error("timeout exceeded when trying to connect"), true],
    [new Error("Connection terminated unexpectedly"), true],
    [drizzleError(pgError("08006", "connection failure")), true],
    [pgError("28P01", 'password authentication failed for user "x"'), false],
    [pgError("3D000", 'database "x" does not exist'), false],
    [new Error("the installation table is empty"), false],
  ])("%s is transient: %s", (e, transient) => {
    expect(isTransientStartupError(e)).toBe(transient);
  });

  it("retries transient failures with backoff, saying why, then succeeds", async () => {
    const said: string[] = [];
    const waits: number[] = [];
    let calls = 0;
    const value = await withStartupRetries(
      "reading the installation",
      async () => {
        if (++calls < 3) throw drizzleError(pgError("53300", "sorry, too many clients already"));
        return "ok";
      },
      { log: (m) => said.push(m), sleep: async (ms) => void waits.push(ms) },
    );
    expect([value, calls, waits]).toEqual(["ok", 3, [500, 1000]]);
    expect(said[0]).toMatch(
      /^reading the installation failed \(attempt 1\): .*caused by: sorry, too many clients already/,
    );
  });

  it("gives up at once on a lasting failure, and after the deadline on a transient one", async () => {
    const sleep = async () => {};
    const bad = pgError("28P01", "password authentication failed");
    await expect(withStartupRetries("x", () => Promise.reject(bad), { log: () => {}, sleep })).rejects.toBe(bad);
    let calls = 0;
    const busy = pgError("53300", "too many clients");
    await expect(
      withStartupRetries("x", () => (calls++, Promise.reject(busy)), { log: () => {}, sleep, attempts: 4 }),
    ).rejects.toBe(busy);
    expect(calls).toBe(4);
  });
});
