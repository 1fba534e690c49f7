import { describe, expect, it } from "vitest";
import { ConfigError, nextInOwnProcess, parseEnv, ssoConfigured, ssoPolicy } from "./parse-env";

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
    expect(c.LECTERN_ROLE).toBe("all");
    expect(c.LECTERN_SSE_MAX_PER_KEY).toBe(1000);
    expect(parseEnv({ LECTERN_ROLE: "runtime" }).LECTERN_ROLE).toBe("runtime");
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
    [
      { UPSTASH_REDIS_REST_URL: "https://x.upstash.io" },
      "UPSTASH_REDIS_REST_TOKEN must be set together with UPSTASH_REDIS_REST_URL",
    ],
    [{ LECTERN_DATABSE: "x" }, "LECTERN_DATABSE is not a known setting (see docs/configuration.md)"],
    [{ LECTERN_LOG_LEVEL: "loud" }, "LECTERN_LOG_LEVEL must be one of debug, info, warn, error"],
    [
      { LECTERN_TRUSTED_PROXIES: "10.0.0.0/8, proxy.local" },
      "LECTERN_TRUSTED_PROXIES must list IP addresses or CIDR ranges, comma-separated: proxy.local is not an IP address or CIDR range",
    ],
    [{ SMTP_URL: "http://mail" }, "SMTP_URL must be a smtp:// or smtps:// URL"],
    [{ PORT: "70000" }, "PORT must be at most 65535"],
    [{ LECTERN_SCHEDULER: "maybe" }, "LECTERN_SCHEDULER must be on or off"],
    [{ LECTERN_ROLE: "ui" }, "LECTERN_ROLE must be one of all, runtime"],
    [{ LECTERN_NEXT_PROCESS: "child" }, "LECTERN_NEXT_PROCESS must be one of auto, separate, same"],
    [
      { LECTERN_NEXT_PROCESS: "separate" },
      "LECTERN_NEXT_PROCESS separate needs DATABASE_URL: the embedded PGlite database can be opened by one process only",
    ],
    [
      { DATABASE_READ_URL: "postgres://replica/db" },
      "DATABASE_READ_URL needs DATABASE_URL: the embedded PGlite database has no pooler and no replica",
    ],
    [
      { DATABASE_URL: "postgres://h/db", DATABASE_DIRECT_URL: "mysql://h/db" },
      "DATABASE_DIRECT_URL must be a postgres:// URL",
    ],
    [
      { DATABASE_URL: "postgres://h/db", LECTERN_READ_MAX_LAG_SECONDS: "0" },
      "LECTERN_READ_MAX_LAG_SECONDS must be at least 1",
    ],
    [{ LECTERN_SSE_MAX_PER_KEY: "0" }, "LECTERN_SSE_MAX_PER_KEY must be at least 1"],
    [{ LECTERN_WORKERS: "no" }, "LECTERN_WORKERS must be on or off"],
    [
      { LECTERN_SCHEDULER_CRON: "every minute" },
      'LECTERN_SCHEDULER_CRON must be a cron expression with 5 fields, e.g. "* * * * *"',
    ],
    [
      { LECTERN_SCHEDULER_CRON: "* * *" },
      'LECTERN_SCHEDULER_CRON must be a cron expression with 5 fields, e.g. "* * * * *"',
    ],
    [
      { LECTERN_SCHEDULES: "housekeeping" },
      'LECTERN_SCHEDULES must be name=cron pairs separated by semicolons, e.g. "housekeeping=0 * * * *"; "housekeeping" is not',
    ],
    [
      { LECTERN_SCHEDULES: "Bad Name=* * * * *" },
      'LECTERN_SCHEDULES must be name=cron pairs separated by semicolons, e.g. "housekeeping=0 * * * *"; "Bad Name=* * * * *" is not',
    ],
    [{ LECTERN_WEBHOOK_ALLOW_PRIVATE: "sure" }, "LECTERN_WEBHOOK_ALLOW_PRIVATE must be true or false"],
    [
      { LECTERN_ENCRYPTION_KEY: "too-short" },
      "LECTERN_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or 43 base64url characters (e.g. openssl rand -hex 32)",
    ],
    [
      { LECTERN_ENCRYPTION_KEY: "a".repeat(63) },
      "LECTERN_ENCRYPTION_KEY must be 32 bytes written as 64 hex characters or 43 base64url characters (e.g. openssl rand -hex 32)",
    ],
    [{ CRON_SECRET: "short" }, "CRON_SECRET must be at least 16 characters"],
  ])("rejects %j with one clear line", (env, line) => {
    expect(problems(env)).toContain(line);
  });

  it.each([
    [{}, false], // PGlite: one process opens it
    [{ DATABASE_URL: "postgres://h/db" }, true],
    [{ DATABASE_URL: "postgres://h/db", LECTERN_NEXT_PROCESS: "same" }, false],
    [{ DATABASE_URL: "postgres://h/db", LECTERN_NEXT_PROCESS: "separate" }, true],
    [{ LECTERN_NEXT_PROCESS: "same" }, false],
    [{ DATABASE_URL: "postgres://h/db", LECTERN_ROLE: "runtime" }, false], // no Next at all
  ])("Next in a process of its own with %j: %s", (env, separate) => {
    expect(nextInOwnProcess(parseEnv(env))).toBe(separate);
  });

  it("jobs and webhooks: defaults, and the forms each setting takes", () => {
    const d = parseEnv({});
    expect([
      d.LECTERN_SCHEDULER,
      d.LECTERN_SCHEDULER_CRON,
      d.LECTERN_SCHEDULES,
      d.LECTERN_WORKERS,
      d.LECTERN_WEBHOOK_ALLOW_PRIVATE,
      d.LECTERN_ENCRYPTION_KEY,
      d.LECTERN_DEBUG_JOBS,
    ]).toEqual(["on", "* * * * *", undefined, "on", false, undefined, false]);
    const c = parseEnv({
      LECTERN_SCHEDULER: "off",
      LECTERN_SCHEDULER_CRON: "*/5 * * * *",
      LECTERN_SCHEDULES: " housekeeping=0 * * * * ; webhooks=*/2 * * * *;",
      LECTERN_WEBHOOK_ALLOW_PRIVATE: "true",
      LECTERN_ENCRYPTION_KEY: "ab".repeat(32),
      CRON_SECRET: "s".repeat(16),
    });
    expect(c.LECTERN_SCHEDULER).toBe("off");
    expect(c.LECTERN_SCHEDULER_CRON).toBe("*/5 * * * *");
    expect(c.LECTERN_SCHEDULES).toEqual({ housekeeping: "0 * * * *", webhooks: "*/2 * * * *" });
    expect(c.LECTERN_WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(parseEnv({ LECTERN_ENCRYPTION_KEY: "A".repeat(42) + "E" }).LECTERN_ENCRYPTION_KEY).toBe(
      "A".repeat(42) + "E",
    );
  });

  it("model connections: private addresses off by default, on, or a list", () => {
    expect(parseEnv({}).LECTERN_CONNECTIONS_ALLOW_PRIVATE).toBe(false);
    expect(parseEnv({ LECTERN_CONNECTIONS_ALLOW_PRIVATE: "true" }).LECTERN_CONNECTIONS_ALLOW_PRIVATE).toBe(true);
    const list = parseEnv({
      LECTERN_CONNECTIONS_ALLOW_PRIVATE: "127.0.0.1, 10.1.0.0/16",
    }).LECTERN_CONNECTIONS_ALLOW_PRIVATE;
    expect(typeof list === "object" && [list.check("10.1.2.3"), list.check("10.2.0.1")]).toEqual([true, false]);
    expect(problems({ LECTERN_CONNECTIONS_ALLOW_PRIVATE: "ollama" })[0]).toMatch(
      /^LECTERN_CONNECTIONS_ALLOW_PRIVATE must be true, false or IP addresses/,
    );
  });

  describe("single sign-on", () => {
    const oidc = { OIDC_ISSUER: "https://idp.example", OIDC_CLIENT_ID: "lectern", OIDC_CLIENT_SECRET: "s3cret" };

    it("defaults: passwords on, any domain, no project to join", () => {
      const c = parseEnv({});
      expect(c.LECTERN_PASSWORDS).toBe("on");
      expect(ssoConfigured(c)).toBe(false);
      expect(ssoPolicy(c)).toEqual({ allowedDomains: [], join: undefined });
    });

    it("reads allowed domains, the project to join and its role (viewer by default)", () => {
      const c = parseEnv({
        ...oidc,
        LECTERN_SSO_ALLOWED_DOMAINS: " Acme.com, @acme.co.uk ,",
        LECTERN_SSO_JOIN_PROJECT: "team",
        LECTERN_PASSWORDS: "off",
      });
      expect(c.LECTERN_PASSWORDS).toBe("off");
      expect(ssoPolicy(c)).toEqual({
        allowedDomains: ["acme.com", "acme.co.uk"],
        join: { projectSlug: "team", role: "viewer" },
      });
      const editor = parseEnv({ LECTERN_SSO_JOIN_PROJECT: "team", LECTERN_SSO_JOIN_ROLE: "approver" });
      expect(ssoPolicy(editor).join).toEqual({ projectSlug: "team", role: "approver" });
    });

    it("passwords off with GitHub only is fine", () => {
      const c = parseEnv({ LECTERN_PASSWORDS: "off", GITHUB_ID: "id", GITHUB_SECRET: "secret" });
      expect(ssoConfigured(c)).toBe(true);
    });

    it.each([
      [
        { LECTERN_PASSWORDS: "off" },
        "LECTERN_PASSWORDS off needs a single sign-on provider, or nobody could sign in: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or GITHUB_ID and GITHUB_SECRET",
      ],
      [{ LECTERN_PASSWORDS: "no" }, "LECTERN_PASSWORDS must be on or off"],
      [
        { LECTERN_SSO_ALLOWED_DOMAINS: "acme.com, *.acme.com, acme" },
        'LECTERN_SSO_ALLOWED_DOMAINS must be email domains separated by commas, e.g. "acme.com,acme.co.uk"; "*.acme.com", "acme" is not',
      ],
      [
        { LECTERN_SSO_JOIN_PROJECT: "Team One" },
        "LECTERN_SSO_JOIN_PROJECT must be a project slug (lowercase letters, digits and '-')",
      ],
      [
        { LECTERN_SSO_JOIN_PROJECT: "team", LECTERN_SSO_JOIN_ROLE: "owner" },
        "LECTERN_SSO_JOIN_ROLE must be one of viewer, editor, approver, admin",
      ],
      [
        { LECTERN_SSO_JOIN_ROLE: "editor" },
        "LECTERN_SSO_JOIN_ROLE needs LECTERN_SSO_JOIN_PROJECT (the project that accounts created by single sign-on join)",
      ],
    ])("refuses %j", (env, message) => {
      expect(problems(env)).toEqual([message]);
    });
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
    expect(problems({ LECTERN_TESTING: "1" })).toEqual([
      "LECTERN_TESTING is not a known setting (see docs/configuration.md)",
    ]);
  });
});
