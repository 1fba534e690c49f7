// Sign-in while the data folder changes under a running server (its sign-in secret generated there, no
// NEXTAUTH_SECRET): the secret is read once, so a person stays signed in when the file is recreated with
// another secret or the folder is removed; the login page and the log say what happened; signing in again
// lands signed in, never back on the login page. A server of its own on PostgreSQL (the embedded database
// would be removed with the folder).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, freePort, ServerProcess } from "../cluster/harness";
import { Browser } from "./browser";

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const email = "admin@data-dir.lectern.dev";
const password = "admin-password-for-data-dir";
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), "lectern-data-dir-api-")), ".data");
let server: ServerProcess;
let drop: (() => Promise<void>) | undefined;
let slug = "";

beforeAll(async () => {
  if (!onPostgres) return;
  const db = await createDatabase();
  drop = db.drop;
  const port = await freePort();
  const key = `lk_data_dir_${randomBytes(12).toString("hex")}`;
  server = new ServerProcess(port, {
    ...db.env,
    NEXTAUTH_URL: `http://127.0.0.1:${port}`,
    NEXTAUTH_SECRET: "",
    LECTERN_ENCRYPTION_KEY: "",
    LECTERN_DATA_DIR: dataDir,
    REDIS_URL: "",
    LECTERN_SEED_DEMO: "false",
    LECTERN_BOOTSTRAP_ADMIN_KEY: key,
    LECTERN_ADMIN_EMAIL: email,
    LECTERN_ADMIN_PASSWORD: password,
    LECTERN_TRUSTED_PROXIES: "127.0.0.1,::1",
  });
  await server.start();
  const res = await fetch(`${server.url}/api/v1/project`, { headers: { authorization: `Bearer ${key}` } });
  slug = ((await res.json()) as { slug: string }).slug;
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await drop?.();
});

const signedIn = (res: Response) => res.status === 200;
const loginText = async (b: Browser) => {
  const res = await b.fetch("/login");
  expect(res.status).toBe(200);
  return (await res.text()).replace(/<!-- -->/g, "");
};

describe.runIf(onPostgres)("the data folder changes under a running server", () => {
  it("keeps everyone signed in, says what changed, and a new sign-in never loops", async () => {
    const b = new Browser(undefined, {}, server.url);
    expect((await b.signIn(email, password)).body.url).toBeDefined();
    expect(signedIn(await b.fetch(`/${slug}/prompts`))).toBe(true);
    expect(await loginText(new Browser(undefined, {}, server.url))).not.toContain("while Lectern was running");

    // Another process recreates the secret (as a second `npm run dev` on a fresh folder would).
    writeFileSync(path.join(dataDir, "nextauth-secret"), "another-secret-another-secret-another-0001");
    expect(signedIn(await b.fetch(`/${slug}/prompts`))).toBe(true);
    expect(await loginText(new Browser(undefined, {}, server.url))).toContain(
      `${path.join(dataDir, "nextauth-secret")} (the sign-in secret) changed while Lectern was running`,
    );

    // A person removes the folder.
    rmSync(dataDir, { recursive: true, force: true });
    expect(signedIn(await b.fetch(`/${slug}/prompts`))).toBe(true);
    const page = await loginText(new Browser(undefined, {}, server.url));
    expect(page).toContain(`The data folder ${dataDir} disappeared while Lectern was running`);
    expect(server.log).toContain(`The data folder ${dataDir} disappeared while Lectern was running`);

    // Signing in again, now, lands signed in (next-auth and the pages share the secret read at start).
    const again = new Browser(undefined, {}, server.url);
    expect((await again.signIn(email, password)).body.url).toBeDefined();
    expect(signedIn(await again.fetch(`/${slug}/prompts`))).toBe(true);
  }, 120_000);

  it("a sign-in cookie this server cannot read is said on the login page", async () => {
    const b = new Browser(undefined, {}, server.url);
    b.cookies.set("next-auth.session-token", "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..x.y.z");
    const res = await b.fetch(`/${slug}/prompts`);
    expect(res.headers.get("location") ?? "").toContain("/login");
    const page = await loginText(b);
    expect(page).toContain("Your previous sign-in can no longer be read here");
  });
});
