// Shared setup for the registry and release integration tests: a project with one real user per
// role, contexts for acting as them, an event sink that records whether each event was published
// after its transaction committed, and helpers to read error codes and count rows.
import type { DomainContext } from "../lib/context";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { queryRows, type Db } from "../db/client";
import { AppError, pgErrorCode } from "../lib/errors";
import type { Actor, Role } from "../lib/auth/permissions";
import { addMember } from "../lib/auth/invitations";
import { createProject } from "../lib/auth/projects";
import { createUser } from "../lib/auth/users";
import { createPrompt, getPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { liveDeployment } from "../lib/release/deployments";
import { getEnvironmentRow } from "../lib/release/environments";
import { placementOf, versionStatuses, type VersionStatus } from "../lib/release/status";
import { noEvents, type EventSink, type PromptChanged } from "../lib/announcements";
import { createTestDatabase, type TestDatabase } from "./db";
import { projectContext } from "../lib/context";

export type Member = Extract<Actor, { type: "user" }>;

export interface Fixture {
  projectId: string;
  admin: Member;
  editor: Member;
  editor2: Member;
  approver: Member;
  approver2: Member;
  viewer: Member;
  /** A context acting as `actor`; announcements go to `events` (default: nowhere). */
  ctx(actor: Actor, events?: EventSink): DomainContext;
}

/** A project whose members are real users (their ids matter for "cannot approve your own request"). */
export async function seedProject(db: Db, slug: string): Promise<Fixture> {
  const owner = await createUser(db, { email: `admin@${slug}.test`, name: `Admin ${slug}` });
  const admin: Member = { type: "user", id: owner.id, label: owner.email, role: "admin" };
  const project = await createProject(db, { slug, name: slug }, admin);
  const member = async (who: string, role: Role): Promise<Member> => {
    const user = await createUser(db, { email: `${who}@${slug}.test`, name: who });
    await addMember(projectContext(db, admin, project.id, noEvents), { email: user.email, role });
    return { type: "user", id: user.id, label: user.email, role };
  };
  return {
    projectId: project.id,
    admin,
    editor: await member("editor", "editor"),
    editor2: await member("editor2", "editor"),
    approver: await member("approver", "approver"),
    approver2: await member("approver2", "approver"),
    viewer: await member("viewer", "viewer"),
    ctx: (actor, events = noEvents) => ({ db, actor, projectId: project.id, events }),
  };
}

/**
 * Registers this file's fresh database with project `slug` (beforeAll), dropped after its tests (afterAll).
 * `ready` receives both and may start more; `stop` runs before the drop.
 */
export function projectDatabaseForFile(
  slug: string,
  ready: (t: TestDatabase, f: Fixture) => void | Promise<void>,
  stop?: () => Promise<void>,
): void {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
    await ready(t, await seedProject(t.db, slug));
  });
  afterAll(async () => {
    await stop?.();
    await t.drop();
  });
}

/** The error code a promise rejects with, or "ok". Non-AppErrors are rethrown. */
export async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
}

/** The AppError a promise rejects with; fails the test when it resolves. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/** How the database refused a statement: SQLSTATE and the driver's message (Drizzle wraps it in `cause`). */
export async function refusal(p: Promise<unknown>): Promise<{ sqlstate: string | undefined; message: string }> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    return { sqlstate: pgErrorCode(e), message: cause instanceof Error ? cause.message : String(e) };
  }
  throw new Error("expected the database to refuse the statement, but it succeeded");
}

export async function count(
  db: Db,
  table: "prompts" | "prompt_versions" | "deployments" | "audit_log" | "review_requests" | "drafts",
): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return row!.n;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type RecordedEvent = Pick<PromptChanged, "projectId" | "prompt" | "environment" | "version" | "action"> & {
  committed: boolean;
};

/**
 * Records every published event, and whether what it announces was already visible to another
 * query at that moment: a publish inside the transaction would see nothing on PostgreSQL (another
 * connection) and would block PGlite (one connection), so the check gives up after a while.
 */
export function recordingSink(db: Db): EventSink & { events: RecordedEvent[] } {
  const events: RecordedEvent[] = [];
  const visible = async (e: PromptChanged): Promise<boolean> => {
    if (e.environment === null) {
      const rows = await queryRows(
        db,
        sql`
        select 1 from prompt_versions v join prompts p on p.id = v.prompt_id
        where p.project_id = ${e.projectId} and p.name = ${e.prompt} and v.version = ${e.version}`,
      );
      return rows.length === 1;
    }
    const [live] = await queryRows<{ version: number }>(
      db,
      sql`
      select d.version from deployments d
      join prompts p on p.id = d.prompt_id join environments en on en.id = d.environment_id
      where p.project_id = ${e.projectId} and p.name = ${e.prompt} and en.name = ${e.environment}
      order by d.id desc limit 1`,
    );
    return live?.version === e.version;
  };
  return {
    events,
    async publish(e) {
      const committed = await Promise.race([visible(e), sleep(1500).then(() => false)]);
      events.push({
        projectId: e.projectId,
        prompt: e.prompt,
        environment: e.environment,
        version: e.version,
        action: e.action,
        committed,
      });
    },
  };
}

/** A text prompt with `versions` versions whose templates are "v1", "v2", …, all written by the editor. */
export async function promptWith(db: Db, fx: Fixture, name: string, versions: number) {
  await createPrompt(fx.ctx(fx.editor), { name, type: "text", template: "v1" });
  for (let v = 2; v <= versions; v++) await createVersion(fx.ctx(fx.editor), name, { template: `v${v}` });
  return getPrompt(db, fx.projectId, name);
}

/** The status of every version of a prompt, version 1 first. */
export async function statusesOf(db: Db, fx: Fixture, name: string): Promise<VersionStatus[]> {
  const prompt = await getPrompt(db, fx.projectId, name);
  const statuses = await versionStatuses(db, prompt.id);
  return Array.from({ length: prompt.latestVersion }, (_, i) => placementOf(statuses, i + 1).status);
}

/** The version an environment serves now, or undefined. */
export async function liveVersion(db: Db, fx: Fixture, name: string, environment: string): Promise<number | undefined> {
  const prompt = await getPrompt(db, fx.projectId, name);
  const env = await getEnvironmentRow(db, fx.projectId, environment);
  return (await liveDeployment(db, prompt.id, env.id))?.version;
}
