// First-start setup, run on every start and idempotent: a default project, an admin user,
// the bootstrap admin key, and (on an empty database) the demo prompts.
import { randomBytes } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { memberships, projects, users } from "../../db/schema";
import { ensureBootstrapKey } from "../auth/api-keys";
import { createProject } from "../auth/projects";
import { createUser, findUserByEmail, setPassword } from "../auth/users";
import type { Actor } from "../auth/permissions";
import { seedDemoPrompts } from "./seed-demo";
import { noEvents } from "../announcements";
import { projectContext } from "../context";

export interface BootstrapOptions {
  seedDemo: boolean;
  adminEmail?: string;
  adminPassword?: string;
  bootstrapAdminKey?: string;
}

export interface BootstrapResult {
  projectId: string;
  /** Set only when this start created the admin with a generated password (printed once). */
  createdAdmin?: { email: string; password: string };
}

const system: Actor = { type: "system", label: "bootstrap" };
const DEFAULT_ADMIN = "admin@lectern.local";

export async function bootstrap(db: Db, opts: BootstrapOptions): Promise<BootstrapResult> {
  // Serialise concurrent starts of several instances on one PostgreSQL.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727274)`);
    let [project] = await tx.select().from(projects).orderBy(asc(projects.createdAt)).limit(1);
    const fresh = !project;
    if (!project)
      project = await createProject(
        tx,
        opts.seedDemo ? { slug: "demo", name: "Demo project" } : { slug: "default", name: "Default project" },
        system,
      );

    let createdAdmin: BootstrapResult["createdAdmin"];
    let adminId: string | undefined;
    if (opts.adminEmail && opts.adminPassword) {
      const existing = await findUserByEmail(tx, opts.adminEmail);
      if (existing) {
        await setPassword(tx, existing.id, opts.adminPassword);
        adminId = existing.id;
      } else
        adminId = (await createUser(tx, { email: opts.adminEmail, name: "Admin", password: opts.adminPassword })).id;
    } else {
      const [anyUser] = await tx.select({ id: users.id }).from(users).limit(1);
      if (!anyUser) {
        const password = randomBytes(9).toString("base64url");
        adminId = (await createUser(tx, { email: DEFAULT_ADMIN, name: "Admin", password })).id;
        createdAdmin = { email: DEFAULT_ADMIN, password };
      }
    }
    if (adminId) {
      await tx
        .insert(memberships)
        .values({ projectId: project.id, userId: adminId, role: "admin" })
        .onConflictDoUpdate({ target: [memberships.projectId, memberships.userId], set: { role: "admin" } });
    }
    if (opts.bootstrapAdminKey) await ensureBootstrapKey(tx, project.id, opts.bootstrapAdminKey);
    if (fresh && opts.seedDemo) {
      const [admin] = adminId ? await tx.select().from(users).where(eq(users.id, adminId)) : [];
      const actor: Actor = admin ? { type: "user", id: admin.id, label: admin.email, role: "admin" } : system;
      // Nothing is cached yet when the demo is seeded (startup): nobody to tell.
      await seedDemoPrompts(projectContext(tx, actor, project.id, noEvents));
    }
    return { projectId: project.id, createdAdmin };
  });
}
