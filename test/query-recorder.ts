// A query-recording handle on a test database (lib/server/operations-read-once.int.test.ts): a second drizzle
// instance on the same client (PGlite, or the PostgreSQL pool with TEST_DATABASE_URL) whose logger keeps every
// statement it sends, transactions included (drizzle hands the logger to each transaction's session). An
// operation run with `recorder.db` in its context has its statements in `recorder.record(...)`'s answer, and
// `repeatedSelects` names each SELECT issued twice with the same text and parameters: the same row read twice.
import type { Logger } from "drizzle-orm";
import * as schema from "../db/schema";
import type { Database, Db } from "../db/client";

export interface RecordedQuery {
  sql: string;
  params: unknown[];
}

export interface QueryRecorder {
  /** Use this handle in the operation's context: what it sends is recorded while `record` runs. */
  db: Db;
  /** Runs `fn`, answering what it returned and the statements it sent, in order. */
  record<T>(fn: () => Promise<T>): Promise<{ result: T; queries: RecordedQuery[] }>;
}

export async function queryRecorder(database: Pick<Database, "db" | "kind">): Promise<QueryRecorder> {
  let sink: RecordedQuery[] | null = null;
  const logger: Logger = {
    logQuery(query, params) {
      sink?.push({ sql: query, params });
    },
  };
  const client = (database.db as unknown as { $client: unknown }).$client;
  const { drizzle } =
    database.kind === "pglite" ? await import("drizzle-orm/pglite") : await import("drizzle-orm/node-postgres");
  const db = (drizzle as (config: object) => unknown)({ client, schema, casing: "snake_case", logger }) as Db;
  return {
    db,
    async record(fn) {
      if (sink) throw new Error("queryRecorder: one recording at a time");
      const queries: RecordedQuery[] = [];
      sink = queries;
      try {
        return { result: await fn(), queries };
      } finally {
        sink = null;
      }
    },
  };
}

/** A statement's text with its whitespace collapsed and its parameters in a comparable form. */
export function normalize(q: RecordedQuery): string {
  const params = q.params.map((p) => (p instanceof Date ? p.toISOString() : p));
  return `${q.sql.replace(/\s+/g, " ").trim()} -- ${JSON.stringify(params)}`;
}

export interface RepeatedSelect {
  query: string;
  times: number;
}

/** A repeat that is meant: a SELECT matching `query` may be sent `times` times, for the reason `why`. */
export interface AllowedRepeat {
  query: RegExp;
  times: number;
  why: string;
}

/**
 * Each SELECT sent more than once with the same text and parameters, with how often; a repeat `allowed` names
 * (by a pattern on the normalized text) counts only when sent more often than it allows.
 */
export function repeatedSelects(queries: RecordedQuery[], allowed: AllowedRepeat[] = []): RepeatedSelect[] {
  const seen = new Map<string, number>();
  for (const q of queries) {
    const text = normalize(q);
    if (!/^(select|with)\b/i.test(text)) continue;
    seen.set(text, (seen.get(text) ?? 0) + 1);
  }
  const allows = (query: string, times: number) => allowed.some((a) => a.query.test(query) && times <= a.times);
  return [...seen]
    .filter(([query, times]) => times > 1 && !allows(query, times))
    .map(([query, times]) => ({ query, times }));
}
