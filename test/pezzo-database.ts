// A self-hosted Pezzo's PostgreSQL, for `lectern import pezzo`'s tests: a fresh database with the tables the
// import reads, created as Pezzo's Prisma migrations leave them (apps/server/prisma/migrations, last one
// 20240515125809: column types, defaults, keys and the foreign keys between these tables; the tables it does
// not read, and the keys to them, are left out), and rows the way Pezzo's server writes them.
import { createHash, randomBytes } from "node:crypto";
import { Client } from "pg";

const ddl = `
CREATE TYPE "PromptType" AS ENUM ('Prompt', 'Chat');
CREATE TABLE "User" (
    "id" TEXT NOT NULL, "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3),
    CONSTRAINT "User_pkey" PRIMARY KEY ("id"));
CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
CREATE TABLE "Project" (
    "id" TEXT NOT NULL, "slug" TEXT NOT NULL, "name" TEXT NOT NULL, "organizationId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Project_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Environment" (
    "name" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "id" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL, "projectId" TEXT NOT NULL,
    CONSTRAINT "Environment_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Prompt" (
    "id" TEXT NOT NULL, "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL,
    "projectId" TEXT NOT NULL,
    CONSTRAINT "Prompt_pkey" PRIMARY KEY ("id"));
CREATE TABLE "PromptVersion" (
    "sha" TEXT NOT NULL, "settings" JSONB NOT NULL DEFAULT '{}', "promptId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "message" TEXT, "createdById" TEXT NOT NULL,
    "content" JSONB NOT NULL, "service" TEXT NOT NULL, "type" "PromptType" NOT NULL DEFAULT 'Prompt',
    CONSTRAINT "PromptVersion_pkey" PRIMARY KEY ("sha"));
CREATE TABLE "PromptEnvironment" (
    "id" TEXT NOT NULL, "promptId" TEXT NOT NULL, "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "promptVersionSha" TEXT NOT NULL, "environmentId" TEXT NOT NULL, "publishedById" TEXT NOT NULL,
    CONSTRAINT "PromptEnvironment_pkey" PRIMARY KEY ("id"));
ALTER TABLE "PromptVersion" ADD CONSTRAINT "PromptVersion_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PromptVersion" ADD CONSTRAINT "PromptVersion_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PromptEnvironment" ADD CONSTRAINT "PromptEnvironment_promptId_fkey" FOREIGN KEY ("promptId") REFERENCES "Prompt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PromptEnvironment" ADD CONSTRAINT "PromptEnvironment_promptVersionSha_fkey" FOREIGN KEY ("promptVersionSha") REFERENCES "PromptVersion"("sha") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "PromptEnvironment" ADD CONSTRAINT "PromptEnvironment_environmentId_fkey" FOREIGN KEY ("environmentId") REFERENCES "Environment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "PromptEnvironment" ADD CONSTRAINT "PromptEnvironment_publishedById_fkey" FOREIGN KEY ("publishedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
`;

/** A Pezzo version: the sha Pezzo's server makes (sha256 of what it saves), content and settings as JSON. */
export type PezzoVersionSeed = {
  type?: "Prompt" | "Chat";
  content: unknown;
  settings?: Record<string, unknown>;
  message?: string;
  at: string;
};

export class PezzoDatabase {
  private constructor(
    readonly url: string,
    private readonly client: Client,
    private readonly drop: () => Promise<void>,
  ) {}

  /** A fresh database beside `base` (a PostgreSQL URL) with Pezzo's tables in it. */
  static async create(base: string): Promise<PezzoDatabase> {
    const name = `pezzo_${randomBytes(5).toString("hex")}`;
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const url = new URL(base);
    url.pathname = `/${name}`;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(ddl);
    const drop = async () => {
      await client.end();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    };
    return new PezzoDatabase(url.toString(), client, drop);
  }

  close() {
    return this.drop();
  }

  query(text: string, values: unknown[] = []) {
    return this.client.query(text, values);
  }

  async user(email: string): Promise<string> {
    const id = `user-${randomBytes(4).toString("hex")}`;
    await this.query(`insert into "User" (id, email) values ($1, $2)`, [id, email]);
    return id;
  }

  async project(slug: string): Promise<string> {
    const id = `proj-${randomBytes(4).toString("hex")}`;
    await this.query(
      `insert into "Project" (id, slug, name, "organizationId", "updatedAt") values ($1, $2, $3, 'org-1', now())`,
      [id, slug, `Project ${slug}`],
    );
    return id;
  }

  async environment(projectId: string, name: string): Promise<string> {
    const id = `env-${randomBytes(4).toString("hex")}`;
    await this.query(`insert into "Environment" (id, name, "projectId", "updatedAt") values ($1, $2, $3, now())`, [
      id,
      name,
      projectId,
    ]);
    return id;
  }

  /** A prompt and its versions in order; answers the versions' shas. */
  async prompt(projectId: string, name: string, author: string, versions: PezzoVersionSeed[]): Promise<string[]> {
    const id = `prompt-${randomBytes(4).toString("hex")}`;
    await this.query(`insert into "Prompt" (id, name, "projectId", "updatedAt") values ($1, $2, $3, now())`, [
      id,
      name,
      projectId,
    ]);
    const shas: string[] = [];
    for (const v of versions) {
      const sha = createHash("sha256")
        .update(JSON.stringify([id, v.content, v.settings, v.at]))
        .digest("hex");
      await this.query(
        `insert into "PromptVersion" (sha, "promptId", type, service, settings, content, message, "createdById", "createdAt")
         values ($1, $2, $3, 'OpenAIChatCompletion', $4, $5, $6, $7, $8)`,
        [sha, id, v.type ?? "Prompt", v.settings ?? {}, JSON.stringify(v.content), v.message ?? null, author, v.at],
      );
      shas.push(sha);
    }
    return shas;
  }

  /** Pezzo's "publish": a new PromptEnvironment row; the newest per environment is what it serves. */
  async deploy(promptSha: string, environmentId: string, author: string, at: string): Promise<void> {
    await this.query(
      `insert into "PromptEnvironment" (id, "promptId", "promptVersionSha", "environmentId", "publishedById", "createdAt")
       select $1, "promptId", sha, $3, $4, $5 from "PromptVersion" where sha = $2`,
      [`pe-${randomBytes(4).toString("hex")}`, promptSha, environmentId, author, at],
    );
  }

  /** Every row of the tables the import reads, as text: equal before and after means nothing was written. */
  async fingerprint(): Promise<string> {
    const tables = ["User", "Project", "Environment", "Prompt", "PromptVersion", "PromptEnvironment"];
    const parts: string[] = [];
    for (const t of tables) {
      const { rows } = await this.query(`select t::text as row from "${t}" t order by 1`);
      parts.push(t, ...rows.map((r: { row: string }) => r.row));
    }
    return createHash("sha256").update(parts.join("\n")).digest("hex");
  }
}
