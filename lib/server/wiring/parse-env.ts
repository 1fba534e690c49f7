// Settings: every one documented in docs/configuration.md (test/docs.test.ts checks). Pure so it can be tested
// without a server.
// Over 300 lines: one schema lists every setting, so the unknown-setting check and the docs test read one list.
import { z } from "zod";
import { DEFAULT_HOST } from "../../listen.mjs";
import { parseTrustedProxies } from "../../auth/client-ip";
import { roles } from "../../auth/permissions";
import { parseEncryptionKey } from "../../llm/secrets";
import type { PrivatePolicy } from "../../net/ssrf";
import type { SsoPolicy } from "../../auth/sso";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" })
  .transform((v) => v === "true" || v === "1" || v === "yes");

const int = (min: number, max: number) =>
  z.coerce
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `must be at most ${max}` });

const url = (schemes: string[], what: string) =>
  z.string().refine(
    (v) => {
      try {
        return schemes.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    { error: `must be a ${what} URL` },
  );

// Five (or six, with seconds) cron fields; pg-boss's parser checks the values when it schedules.
const cronField = /^[0-9A-Za-z*,/?#-]+$/;
const isCron = (v: string) => {
  const fields = v.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => cronField.test(f));
};
const cron = z.string().refine(isCron, { error: 'must be a cron expression with 5 fields, e.g. "* * * * *"' });

const onOff = z.enum(["on", "off"], { error: "must be on or off" });

// LECTERN_SSO_ALLOWED_DOMAINS: "acme.com, acme.co.uk" -> ["acme.com", "acme.co.uk"]
const domainName = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;
const domains = z.string().transform((v, ctx) => {
  const list = v
    .split(",")
    .map((d) => d.trim().toLowerCase().replace(/^@/, ""))
    .filter(Boolean);
  const bad = list.filter((d) => !domainName.test(d));
  if (bad.length) {
    ctx.addIssue({
      code: "custom",
      message: `must be email domains separated by commas, e.g. "acme.com,acme.co.uk"; ${bad.map((d) => `"${d}"`).join(", ")} is not`,
    });
    return z.NEVER;
  }
  return list;
});

// LECTERN_SCHEDULES: "housekeeping=0 * * * *; webhooks=*/2 * * * *"
const schedules = z.string().transform((v, ctx) => {
  const out: Record<string, string> = {};
  for (const part of v
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf("=");
    const name = part.slice(0, i).trim();
    const expr = part.slice(i + 1).trim();
    if (i < 1 || !/^[a-z][a-z0-9-]*$/.test(name) || !isCron(expr)) {
      ctx.addIssue({
        code: "custom",
        message: `must be name=cron pairs separated by semicolons, e.g. "housekeeping=0 * * * *"; "${part}" is not`,
      });
      return z.NEVER;
    }
    out[name] = expr;
  }
  return out;
});

// LECTERN_MCP_ALLOWED_ORIGINS: "https://app.example.com, http://localhost:6274" -> their origins, or "*" for any.
const origins = z.string().transform((v, ctx): string[] | "*" => {
  if (v.trim() === "*") return "*";
  const out: string[] = [];
  for (const item of v
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)) {
    let origin: string | undefined;
    try {
      const u = new URL(item);
      if ((u.protocol === "http:" || u.protocol === "https:") && u.origin === item.replace(/\/$/, ""))
        origin = u.origin;
    } catch {
      // reported below
    }
    if (!origin) {
      ctx.addIssue({
        code: "custom",
        message: `must be origins (scheme://host[:port], no path) separated by commas, or *; "${item}" is not one`,
      });
      return z.NEVER;
    }
    out.push(origin);
  }
  return out;
});

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: url(["postgres:", "postgresql:"], "postgres://").optional(),
    DATABASE_DIRECT_URL: url(["postgres:", "postgresql:"], "postgres://").optional(),
    DATABASE_READ_URL: url(["postgres:", "postgresql:"], "postgres://").optional(),
    LECTERN_READ_MAX_LAG_SECONDS: int(1, 86_400).default(5),
    LECTERN_DATA_DIR: z.string().min(1).default("./.data"),
    REDIS_URL: url(["redis:", "rediss:"], "redis://").optional(),
    UPSTASH_REDIS_REST_URL: url(["https:", "http:"], "https://").optional(),
    UPSTASH_REDIS_REST_TOKEN: z.string().min(1).optional(),
    NEXTAUTH_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
    NEXTAUTH_URL: url(["http:", "https:"], "http(s)://").optional(),
    LECTERN_ADMIN_EMAIL: z.email({ error: "must be an email address" }).optional(),
    LECTERN_ADMIN_PASSWORD: z.string().min(8, { error: "must be at least 8 characters" }).optional(),
    LECTERN_BOOTSTRAP_ADMIN_KEY: z
      .string()
      .min(24, { error: "must be at least 24 characters" })
      .max(200, { error: "must be at most 200 characters" })
      .optional(),
    LECTERN_SEED_DEMO: bool.default(true),
    // Read by scripts/next.mjs (`npm run dev`); listed here so that setting it is not an unknown setting.
    LECTERN_DEV_PREWARM: bool.default(true),
    // Read by scripts/dev-server.mjs: log when each page's background compile ended (bench/newcomer.ts sets it).
    LECTERN_DEV_PREWARM_TRACE: bool.default(false),
    // Read by next.config.mjs at build and start time: a second build directory (tests, benchmarks).
    LECTERN_NEXT_DIST_DIR: z.string().min(1).optional(),
    LECTERN_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    PORT: int(0, 65535).default(3000),
    // The address `npm start` and `npm run dev` listen on (scripts/next.mjs reads it itself); -H overrides it.
    HOST: z.string().min(1).default(DEFAULT_HOST),
    LECTERN_SIGNIN_MAX_FAILURES: int(1, 1000).default(5),
    LECTERN_SIGNIN_ACCOUNT_FAILURES: int(1, 1000).default(10),
    LECTERN_SIGNIN_WINDOW_SECONDS: int(1, 86400).default(900),
    LECTERN_TRUSTED_PROXIES: z
      .string()
      .superRefine((v, ctx) => {
        try {
          parseTrustedProxies(v);
        } catch (e) {
          ctx.addIssue({
            code: "custom",
            message: `must list IP addresses or CIDR ranges, comma-separated: ${(e as Error).message}`,
          });
        }
      })
      .optional(),
    SMTP_URL: url(["smtp:", "smtps:"], "smtp:// or smtps://").optional(),
    LECTERN_MAIL_FROM: z.string().min(3).default("Lectern <lectern@localhost>"),
    CACHE_L1_TTL_SECONDS: int(0, 86400).default(60),
    CACHE_L1_MAX_ENTRIES: int(1, 10_000_000).default(10_000),
    CACHE_L2_TTL_SECONDS: int(1, 7 * 86400).default(300),
    REDIS_COMMAND_TIMEOUT_MS: int(10, 60_000).default(500),
    // "runtime": `npm start` serves only the runtime API (resolve, events) and /api/health, no UI.
    LECTERN_ROLE: z.enum(["all", "runtime"]).default("all"),
    // Where `npm start` runs Next: "separate" (a child process; the default with PostgreSQL), "same" (one
    // process; the default with PGlite, which one process opens).
    LECTERN_NEXT_PROCESS: z.enum(["auto", "separate", "same"]).default("auto"),
    LECTERN_SSE_MAX_PER_KEY: int(1, 1_000_000).default(1000),
    // Lectern's server (npm start): open connections in all, and per client address.
    LECTERN_MAX_CONNECTIONS: int(1, 1_000_000).default(10_000),
    LECTERN_MAX_CONNECTIONS_PER_ADDRESS: int(1, 1_000_000).default(512),
    // Evaluation runs per project: queued or running (429 beyond), running at once, and the deadline of one item.
    LECTERN_RUNS_ACTIVE_PER_PROJECT: int(1, 100_000).default(20),
    LECTERN_RUNS_RUNNING_PER_PROJECT: int(1, 1000).default(1),
    LECTERN_RUN_ITEM_DEADLINE_SECONDS: int(1, 86_400).default(300),
    // Optimizations per project: queued or running (429 beyond) and running at once, across instances; the
    // largest budget one optimization may ask for (calls, dollars).
    LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT: int(1, 1000).default(3),
    LECTERN_OPTIMIZATIONS_RUNNING_PER_PROJECT: int(1, 100).default(1),
    LECTERN_OPTIMIZATION_MAX_CALLS: int(1, 100_000).default(10_000),
    LECTERN_OPTIMIZATION_MAX_COST_USD: z.coerce
      .number({ error: "must be a number of dollars" })
      .gt(0, { error: "must be above 0" })
      .max(10_000, { error: "must be at most 10000" })
      .default(100),
    // Shadow answers one project's job (or its turn of the sweep) gives, every rule of it together.
    LECTERN_SHADOW_ANSWERS_PER_RUN: int(1, 10_000).default(100),
    // POST /api/v1/events per API key and instance: requests and body bytes per minute.
    LECTERN_INGEST_REQUESTS_PER_MINUTE: int(1, 10_000_000).default(600),
    LECTERN_INGEST_BYTES_PER_MINUTE: int(1024, 1024 * 1024 * 1024 * 16).default(32 * 1024 * 1024),
    // Batch resolve answers per API key and instance: bytes of prompts per minute (each answer is at most 8 MiB).
    LECTERN_BATCH_BYTES_PER_MINUTE: int(1024, 1024 * 1024 * 1024 * 16).default(64 * 1024 * 1024),
    // The MCP server (docs/mcp.md): browser origins allowed besides the server's own, and its sessions' limits.
    LECTERN_MCP_ALLOWED_ORIGINS: origins.default([]),
    LECTERN_MCP_SESSIONS_PER_KEY: int(1, 10_000).default(100),
    LECTERN_MCP_SESSIONS_PER_PROJECT: int(1, 1_000_000).default(500),
    LECTERN_MCP_SESSIONS_MAX: int(1, 10_000_000).default(2000),
    LECTERN_MCP_SESSION_IDLE_MINUTES: int(1, 7 * 24 * 60).default(30),
    // A session used (a request, a beat of its open stream) within this window is active: never ended to make room.
    LECTERN_MCP_SESSION_ACTIVE_SECONDS: int(1, 24 * 60 * 60).default(60),
    // Batch answers being written at once, per API key and per instance (a reader that never reads holds one
    // until it is cut off): beyond them 429 for the key, 503 for everyone.
    LECTERN_BATCH_STREAMS_PER_KEY: int(1, 1000).default(2),
    LECTERN_BATCH_STREAMS: int(1, 100_000).default(64),
    // OTLP exports waiting for the decoder's worker thread (a key holds at most a quarter): 503 / 429 beyond.
    LECTERN_OTLP_DECODE_QUEUE: int(1, 10_000).default(16),
    LECTERN_EVENT_RETENTION_DAYS: int(1, 3650).default(30),
    REDIS_RETRY_AFTER_MS: int(100, 60_000).default(1000),
    CRON_SECRET: z.string().min(16, { error: "must be at least 16 characters" }).optional(),
    LECTERN_SCHEDULER: onOff.default("on"),
    LECTERN_SCHEDULER_CRON: cron.default("* * * * *"),
    LECTERN_SCHEDULES: schedules.optional(),
    LECTERN_WORKERS: onOff.default("on"),
    LECTERN_DEBUG_JOBS: bool.default(false),
    // A test setting, never for production: the cron routes take `?at=<ISO time>` as the run's clock, and MCP
    // requests a `Lectern-Test-Clock` header as their sessions' clock.
    LECTERN_TEST_CLOCK: bool.default(false),
    // The API wrapper checks answers against their routes' response schemas (the test tiers turn it on).
    LECTERN_CHECK_RESPONSES: bool.default(false),
    LECTERN_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    // Model connections' base URLs: false (public addresses only), true, or a list of the private
    // addresses/ranges that may be reached (a local Ollama, say), e.g. "127.0.0.1,10.1.2.0/24".
    LECTERN_CONNECTIONS_ALLOW_PRIVATE: z
      .string()
      .transform((v, ctx): PrivatePolicy => {
        const t = v.trim().toLowerCase();
        if (["true", "1", "yes"].includes(t)) return true;
        if (["false", "0", "no"].includes(t)) return false;
        try {
          return parseTrustedProxies(v).list;
        } catch (e) {
          ctx.addIssue({
            code: "custom",
            message: `must be true, false or IP addresses/CIDR ranges, comma-separated: ${(e as Error).message}`,
          });
          return z.NEVER;
        }
      })
      .default(false),
    LECTERN_MODEL_ANSWER_MAX_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
    LECTERN_ENCRYPTION_KEY: z
      .string()
      .superRefine((v, ctx) => {
        try {
          parseEncryptionKey(v);
        } catch {
          ctx.addIssue({
            code: "custom",
            message:
              "must be 32 bytes written as 64 hex characters or 43 base64url characters (e.g. openssl rand -hex 32)",
          });
        }
      })
      .optional(),
    OIDC_ISSUER: url(["https:", "http:"], "https://").optional(),
    OIDC_CLIENT_ID: z.string().min(1).optional(),
    OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    OIDC_NAME: z.string().min(1).default("Single sign-on"),
    GITHUB_ID: z.string().min(1).optional(),
    GITHUB_SECRET: z.string().min(1).optional(),
    LECTERN_SSO_ALLOWED_DOMAINS: domains.default([]),
    LECTERN_SSO_JOIN_PROJECT: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: "must be a project slug (lowercase letters, digits and '-')" })
      .optional(),
    LECTERN_SSO_JOIN_ROLE: z.enum(roles, { error: `must be one of ${roles.join(", ")}` }).optional(),
    LECTERN_PASSWORDS: onOff.default("on"),
    LLM_BASE_URL: url(["https:", "http:"], "http(s)://").optional(),
    LLM_API_KEY: z.string().min(1).optional(),
  })
  .superRefine((v, ctx) => {
    const pair = (a: keyof typeof v, b: keyof typeof v) => {
      if (Boolean(v[a]) !== Boolean(v[b]))
        ctx.addIssue({ code: "custom", path: [v[a] ? b : a], message: `must be set together with ${v[a] ? a : b}` });
    };
    pair("UPSTASH_REDIS_REST_URL", "UPSTASH_REDIS_REST_TOKEN");
    pair("OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET");
    pair("OIDC_ISSUER", "OIDC_CLIENT_ID");
    pair("GITHUB_ID", "GITHUB_SECRET");
    pair("LECTERN_ADMIN_EMAIL", "LECTERN_ADMIN_PASSWORD");
    if (v.LECTERN_SSO_JOIN_ROLE && !v.LECTERN_SSO_JOIN_PROJECT)
      ctx.addIssue({
        code: "custom",
        path: ["LECTERN_SSO_JOIN_ROLE"],
        message: "needs LECTERN_SSO_JOIN_PROJECT (the project that accounts created by single sign-on join)",
      });
    if (v.LECTERN_PASSWORDS === "off" && !ssoConfigured(v))
      ctx.addIssue({
        code: "custom",
        path: ["LECTERN_PASSWORDS"],
        message:
          "off needs a single sign-on provider, or nobody could sign in: set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET, or GITHUB_ID and GITHUB_SECRET",
      });
    if (v.LECTERN_NEXT_PROCESS === "separate" && !v.DATABASE_URL)
      ctx.addIssue({
        code: "custom",
        path: ["LECTERN_NEXT_PROCESS"],
        message: "separate needs DATABASE_URL: the embedded PGlite database can be opened by one process only",
      });
    for (const key of ["DATABASE_DIRECT_URL", "DATABASE_READ_URL"] as const)
      if (v[key] && !v.DATABASE_URL)
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: "needs DATABASE_URL: the embedded PGlite database has no pooler and no replica",
        });
    if (v.REDIS_URL && v.UPSTASH_REDIS_REST_URL)
      ctx.addIssue({
        code: "custom",
        path: ["UPSTASH_REDIS_REST_URL"],
        message: "cannot be used together with REDIS_URL (choose one)",
      });
  });

export type Config = z.infer<typeof schema>;

type SsoSettings = Partial<
  Record<"OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "GITHUB_ID" | "GITHUB_SECRET", string>
>;

/** Whether a single sign-on provider (OpenID Connect or GitHub) is configured. */
export function ssoConfigured(c: SsoSettings): boolean {
  return Boolean((c.OIDC_ISSUER && c.OIDC_CLIENT_ID && c.OIDC_CLIENT_SECRET) || (c.GITHUB_ID && c.GITHUB_SECRET));
}

/** The rules for external sign-ins (lib/auth/sso.ts) from the settings. */
export const ssoPolicy = (
  c: Pick<Config, "LECTERN_SSO_ALLOWED_DOMAINS" | "LECTERN_SSO_JOIN_PROJECT" | "LECTERN_SSO_JOIN_ROLE">,
): SsoPolicy => ({
  allowedDomains: c.LECTERN_SSO_ALLOWED_DOMAINS,
  join: c.LECTERN_SSO_JOIN_PROJECT
    ? { projectSlug: c.LECTERN_SSO_JOIN_PROJECT, role: c.LECTERN_SSO_JOIN_ROLE ?? "viewer" }
    : undefined,
});

/** Whether `npm start` runs Next in a process of its own (LECTERN_NEXT_PROCESS; `auto`: with PostgreSQL). */
export const nextInOwnProcess = (c: Pick<Config, "LECTERN_NEXT_PROCESS" | "DATABASE_URL" | "LECTERN_ROLE">): boolean =>
  c.LECTERN_ROLE === "all" &&
  (c.LECTERN_NEXT_PROCESS === "separate" || (c.LECTERN_NEXT_PROCESS === "auto" && Boolean(c.DATABASE_URL)));

/** The name of every setting Lectern reads. */
export const knownSettings: readonly string[] = Object.keys(schema.shape);
const known = new Set(knownSettings);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses settings; throws ConfigError with one line per bad or unknown setting. Empty strings count as unset. */
export function parseEnv(source: Record<string, string | undefined>): Config {
  const input: Record<string, string> = {};
  const problems: string[] = [];
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined || v === "") continue;
    if (known.has(k)) input[k] = v;
    // LECTERN_TEST_* belong to the test harness (scripts/test.sh), not to the server.
    else if (/^(LECTERN|CACHE)_/.test(k) && !k.startsWith("LECTERN_TEST_"))
      problems.push(`${k} is not a known setting (see docs/configuration.md)`);
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? "settings");
      const message =
        issue.code === "invalid_value" && "values" in issue && issue.message.startsWith("Invalid")
          ? `must be one of ${issue.values.join(", ")}`
          : issue.message;
      problems.push(`${key} ${message}`);
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return result.data!;
}
