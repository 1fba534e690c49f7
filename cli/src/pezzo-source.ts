// Reads a self-hosted Pezzo's prompts from its own PostgreSQL for `lectern import pezzo`, read-only: one
// READ ONLY, REPEATABLE READ transaction (every page sees the same state, and PostgreSQL refuses any write in
// it), SELECTs of the tables Pezzo's Prisma schema names and the columns the import maps, never a write.
// The reading happens here, on the machine of whoever runs the import, so that Lectern's server never
// connects to a database a request names (docs/switching.md#pezzo says why); the rows go to
// POST /api/v1/import/pezzo, which maps them.
import pg from "pg";
import { CliError, exitCodes, usageError } from "./errors";

export interface PezzoProjectRow {
  id: string;
  slug: string;
  name: string;
}

/** One request's worth of Pezzo's rows: some prompts with every version and current deployment of theirs. */
export interface PezzoRows {
  environments: { id: string; name: string }[];
  users: { id: string; email: string }[];
  prompts: { id: string; name: string }[];
  versions: Record<string, unknown>[];
  promptEnvironments: { promptId: string; environmentId: string; promptVersionSha: string; createdAt: string }[];
}

// Prisma writes timestamps without a zone, in UTC: read them as such, whatever the session's zone is.
const utc = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Where the rows come from, for the report: host, port and database, never the user or password. */
export function describeSource(databaseUrl: string): string {
  try {
    const u = new URL(databaseUrl);
    if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") throw new Error();
    return `pezzo:${u.host}${u.pathname}`;
  } catch {
    throw usageError("--database-url must be a PostgreSQL URL: postgres://user:password@host:5432/pezzo");
  }
}

export class PezzoSource {
  private constructor(private readonly client: pg.Client) {}

  /** Connects and opens the read-only transaction every read below happens in. */
  static async open(databaseUrl: string): Promise<PezzoSource> {
    describeSource(databaseUrl);
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: "lectern import pezzo",
      connectionTimeoutMillis: 15_000,
    });
    try {
      await client.connect();
      await client.query("begin transaction isolation level repeatable read read only");
      await client.query("set local statement_timeout = '120s'");
    } catch (e) {
      await client.end().catch(() => {});
      throw new CliError(`Pezzo's database: ${(e as Error).message}`, exitCodes.network, { code: "unavailable" });
    }
    return new PezzoSource(client);
  }

  async close(): Promise<void> {
    await this.client.query("rollback").catch(() => {});
    await this.client.end().catch(() => {});
  }

  private async rows<T>(text: string, values: unknown[] = []): Promise<T[]> {
    try {
      return (await this.client.query(text, values)).rows as T[];
    } catch (e) {
      throw new CliError(
        `Pezzo's database: ${(e as Error).message} (is this a Pezzo database? lectern import pezzo reads the tables of Pezzo's Prisma schema)`,
        exitCodes.failed,
        { code: "invalid_input" },
      );
    }
  }

  projects(): Promise<PezzoProjectRow[]> {
    return this.rows(`select id, slug, name from "Project" order by "createdAt", id`);
  }

  /** The project's prompts, in the order Pezzo made them. */
  prompts(projectId: string): Promise<{ id: string; name: string }[]> {
    return this.rows(`select id, name from "Prompt" where "projectId" = $1 order by "createdAt", id`, [projectId]);
  }

  environments(projectId: string): Promise<{ id: string; name: string }[]> {
    return this.rows(`select id, name from "Environment" where "projectId" = $1 order by "createdAt", id`, [projectId]);
  }

  /** Some prompts' rows: every version (oldest first) and, per environment, the deployment Pezzo serves (its newest). */
  async page(prompts: { id: string; name: string }[], environments: PezzoRows["environments"]): Promise<PezzoRows> {
    const ids = prompts.map((p) => p.id);
    const versions = await this.rows<Record<string, unknown>>(
      `select sha, "promptId", type::text as type, service, settings, content, message, "createdById",
              ${utc(`"createdAt"`)} as "createdAt"
         from "PromptVersion" where "promptId" = any($1) order by "promptId", "createdAt", sha`,
      [ids],
    );
    const promptEnvironments = await this.rows<PezzoRows["promptEnvironments"][number]>(
      `select distinct on ("promptId", "environmentId") "promptId", "environmentId", "promptVersionSha",
              ${utc(`"createdAt"`)} as "createdAt"
         from "PromptEnvironment" where "promptId" = any($1)
        order by "promptId", "environmentId", "createdAt" desc, id desc`,
      [ids],
    );
    const authors = [...new Set(versions.map((v) => String(v.createdById)))];
    const users = await this.rows<{ id: string; email: string }>(`select id, email from "User" where id = any($1)`, [
      authors,
    ]);
    return { environments, users, prompts, versions, promptEnvironments };
  }
}
