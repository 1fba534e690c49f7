// Users and sign-in against a real database: credentials, limits and backoff.
import { describe, expect, it } from "vitest";
import { createUser, verifyCredentials } from "./users";
import { code, failure, limits, t, withAuthDatabase } from "../../test/auth-fixture";

withAuthDatabase();

describe("users and sign-in", () => {
  it("concurrent sign-ups with one email: exactly one wins, the others get conflict", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        code(createUser(t.db, { email: "Race@Example.com", name: "R", password: "password1" })),
      ),
    );
    expect(results.filter((r) => r === "ok")).toHaveLength(1);
    expect(results.filter((r) => r === "conflict")).toHaveLength(7);
  });

  it("verifies credentials case-insensitively and rejects a wrong password", async () => {
    await createUser(t.db, { email: "ann@example.com", name: "Ann", password: "s3cret-pass" });
    const u = await verifyCredentials(t.db, { email: "ANN@example.com", password: "s3cret-pass" }, limits);
    expect(u.email).toBe("ann@example.com");
    expect(await code(verifyCredentials(t.db, { email: "ann@example.com", password: "wrong-pass" }, limits))).toBe(
      "unauthorized",
    );
    expect(await code(verifyCredentials(t.db, { email: "nobody@example.com", password: "wrong-pass" }, limits))).toBe(
      "unauthorized",
    );
  });

  it("limits failed sign-ins per IP across accounts; a success elsewhere does not clear it", async () => {
    for (let i = 0; i < 2; i++)
      await code(
        verifyCredentials(t.db, { email: `x${i}@example.com`, password: "nope-nope", ip: "10.9.9.9" }, limits),
      );
    await createUser(t.db, { email: "cat@example.com", name: "Cat", password: "cat-password" });
    // A success from the same address gives back only its own attempt: the failures stay counted.
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits),
      ),
    ).toBe("ok");
    await code(verifyCredentials(t.db, { email: "x9@example.com", password: "nope-nope", ip: "10.9.9.9" }, limits));
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits),
      ),
    ).toBe("rate_limited");
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.1.1.1" }, limits),
      ),
    ).toBe("ok");
    // The window passing lifts the limit.
    const later = new Date(Date.now() + 61_000);
    expect(
      await code(
        verifyCredentials(t.db, { email: "cat@example.com", password: "cat-password", ip: "10.9.9.9" }, limits, later),
      ),
    ).toBe("ok");
  });

  it("40 parallel guesses from one address: only the limit's worth reach the password check", async () => {
    await createUser(t.db, { email: "dan@example.com", name: "Dan", password: "dan-password" });
    const attempts = Array.from({ length: 40 }, (_, i) =>
      code(
        verifyCredentials(
          t.db,
          { email: "dan@example.com", password: i === 39 ? "dan-password" : `guess-${i}`, ip: "10.7.7.7" },
          limits,
        ),
      ),
    );
    const results = await Promise.all(attempts);
    expect(results.filter((r) => r !== "rate_limited")).toHaveLength(limits.ipFailures);
  });

  it("per account: free failures, then an exponential back-off instead of a hard lock", async () => {
    await createUser(t.db, { email: "eve@example.com", name: "Eve", password: "eve-password" });
    const t0 = new Date("2030-01-01T00:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const ip = (i: number) => `10.50.0.${i}`; // many addresses: the per-IP limit is not what stops this
    // Eve's sign-in with this password from address i at second s.
    const signIn = (password: string, i: number, s: number) =>
      verifyCredentials(t.db, { email: "eve@example.com", password, ip: ip(i) }, limits, at(s));
    for (let i = 0; i < limits.accountFreeFailures; i++)
      expect(await code(signIn("bad-bad-bad", i, 0))).toBe("unauthorized");
    // The next failure starts a 2 s back-off; within it even the right password is refused.
    expect(await code(signIn("bad-bad-bad", 20, 0))).toBe("unauthorized");
    const refused = await failure(signIn("eve-password", 21, 1));
    expect(refused.code).toBe("rate_limited");
    expect(refused.details?.retryAfterSeconds).toBe(1);
    // After it, one more failure doubles it (4 s); after that, the right password works and resets the account.
    expect(await code(signIn("bad-bad-bad", 22, 3))).toBe("unauthorized");
    expect(await code(signIn("eve-password", 23, 5))).toBe("rate_limited");
    expect(await code(signIn("eve-password", 24, 8))).toBe("ok");
    expect(await code(signIn("bad-bad-bad", 25, 9))).toBe("unauthorized");
  });

  it("parallel guesses at one account without an address stop at the back-off", async () => {
    await createUser(t.db, { email: "fay@example.com", name: "Fay", password: "fay-password" });
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        code(verifyCredentials(t.db, { email: "fay@example.com", password: "wrong-wrong" }, limits)),
      ),
    );
    expect(results.filter((r) => r !== "rate_limited")).toHaveLength(limits.accountFreeFailures + 1);
  });
});
