import { describe, expect, it } from "vitest";
import { ConfigError, parseEnv } from "./parse-env";

function problems(env: Record<string, string>): string[] {
  try {
    parseEnv(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe("parseEnv", () => {
  it("defaults to embedded PGlite and the in-process cache", () => {
    const c = parseEnv({});
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.LECTERN_DATA_DIR).toBe("./.data");
    expect(c.CACHE_L1_TTL_SECONDS).toBe(60);
    expect(c.CACHE_L2_TTL_SECONDS).toBe(300);
    expect(c.LECTERN_SEED_DEMO).toBe(true);
  });

  it.each([
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL must be a postgres:// URL"],
    [{ DATABASE_URL: "not a url" }, "DATABASE_URL must be a postgres:// URL"],
    [{ REDIS_URL: "http://localhost" }, "REDIS_URL must be a redis:// URL"],
    [{ CACHE_L1_TTL_SECONDS: "abc" }, "CACHE_L1_TTL_SECONDS must be a whole number"],
    [{ CACHE_L1_TTL_SECONDS: "-1" }, "CACHE_L1_TTL_SECONDS must be at least 0"],
    [{ LECTERN_SEED_DEMO: "maybe" }, "LECTERN_SEED_DEMO must be true or false"],
    [{ NEXTAUTH_SECRET: "short" }, "NEXTAUTH_SECRET must be at least 32 characters"],
    [{ LECTERN_ADMIN_EMAIL: "a@b.co" }, "LECTERN_ADMIN_PASSWORD must be set together with LECTERN_ADMIN_EMAIL"],
    [{ UPSTASH_REDIS_REST_URL: "https://x.upstash.io" }, "UPSTASH_REDIS_REST_TOKEN must be set together with UPSTASH_REDIS_REST_URL"],
    [{ LECTERN_DATABSE: "x" }, "LECTERN_DATABSE is not a known setting (see README.md, Configuration)"],
    [{ LECTERN_LOG_LEVEL: "loud" }, "LECTERN_LOG_LEVEL must be one of debug, info, warn, error"],
  ])("rejects %j with one clear line", (env, line) => {
    expect(problems(env)).toContain(line);
  });

  it("reports every bad setting, one line each", () => {
    const p = problems({ DATABASE_URL: "mysql://x", REDIS_URL: "nope", LECTERN_TYPO: "1" });
    expect(p).toHaveLength(3);
  });

  it("accepts a full production configuration", () => {
    const c = parseEnv({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://u:p@db:5432/lectern",
      REDIS_URL: "rediss://cache:6380",
      NEXTAUTH_SECRET: "x".repeat(40),
      LECTERN_BOOTSTRAP_ADMIN_KEY: "k".repeat(30),
      CACHE_L1_TTL_SECONDS: "30",
    });
    expect(c.CACHE_L1_TTL_SECONDS).toBe(30);
    expect(c.DATABASE_URL).toBe("postgresql://u:p@db:5432/lectern");
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ DATABASE_URL: "", REDIS_URL: "" }).DATABASE_URL).toBeUndefined();
  });
});

describe("test-harness settings", () => {
  it("ignores LECTERN_TEST_* (the test harness's own) but not other unknown LECTERN_ names", () => {
    expect(problems({ LECTERN_TEST_BASE_URL: "http://x" })).toEqual([]);
    expect(problems({ LECTERN_TESTING: "1" })).toEqual(["LECTERN_TESTING is not a known setting (see README.md, Configuration)"]);
  });
});
