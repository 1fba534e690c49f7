// `lectern export` / `import` between the shared server and a second, fresh one started here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { freePort, ServerProcess } from "../../test/cluster/harness";
import { buildCli, createPrompt, enc, lectern, removeTemps, resolveOn, tempDir, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

describe("export and import between two servers", () => {
  let second: ServerProcess;
  const secondKey = adminKey;

  beforeAll(async () => {
    const data = tempDir("second-server");
    const port = await freePort();
    second = new ServerProcess(port, {
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      LECTERN_DATA_DIR: data,
      DATABASE_URL: "",
      REDIS_URL: "",
      UPSTASH_REDIS_REST_URL: "",
      UPSTASH_REDIS_REST_TOKEN: "",
      LECTERN_SEED_DEMO: "false",
      LECTERN_BOOTSTRAP_ADMIN_KEY: secondKey,
      LECTERN_ADMIN_EMAIL: "admin@second.lectern.dev",
      LECTERN_ADMIN_PASSWORD: "admin-password-for-second",
      NEXTAUTH_SECRET: "second-secret-second-secret-second-0001",
      LECTERN_TRUSTED_PROXIES: "",
    });
    await second.start();
  }, 180_000);

  afterAll(async () => {
    await second?.stop();
  });

  // The export is the whole shared project, which holds every prompt the other api files have made by then
  // (hundreds): two exports, two imports and a resolve per prompt and environment on both servers, so its
  // time grows with the suite, not with this test; the default 60 s is too tight on a loaded machine.
  it(
    "yields identical resolve answers, imports nothing the second time, and refuses diverged history",
    { timeout: 240_000 },
    async () => {
      // Some history worth moving: versions, a rollback, a new environment with a rule.
      const folder = `cli-${uniq()}`;
      const name = `${folder}/moved`;
      await createPrompt({ name, type: "text", template: "v1 {{x}}", variables: [{ name: "x" }] });
      await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "v2 {{x}}" } });
      await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: "staging", version: 1 } });
      await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: "staging", version: 2 } });
      await call("POST", `/api/v1/prompts/${enc(name)}/rollback`, { body: { environment: "staging" } });
      const qa = `qa${uniq()}`;
      expect(
        (await call("POST", "/api/v1/environments", { body: { name: qa, requiresLiveIn: "staging" } })).status,
      ).toBe(201);
      await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: qa, version: 1 } });

      const work = tempDir("export");
      const env = { LECTERN_API_KEY: adminKey };
      const exported = await lectern(["export", "--base-url", baseUrl, "--out", "project.json"], { cwd: work, env });
      expect(exported.code, exported.stderr).toBe(0);
      const snapshot = JSON.parse(readFileSync(path.join(work, "project.json"), "utf8"));
      // Format 2 once the project has a bundle (other tests on the shared server may have made one), else 1.
      const format = snapshot.bundles?.length ? "lectern.project/2" : "lectern.project/1";
      expect(snapshot.format).toBe(format);
      // Also to standard output, as `lectern export > project.json`.
      const piped = await lectern(["export", "--base-url", baseUrl], { cwd: work, env });
      expect(JSON.parse(piped.stdout).format).toBe(format);

      const imported = await lectern(["import", "project.json", "--base-url", second.url, "--json"], {
        cwd: work,
        env: { LECTERN_API_KEY: secondKey },
      });
      expect(imported.code, imported.stdout + imported.stderr).toBe(0);
      const summary = JSON.parse(imported.stdout);
      expect(summary).toMatchObject({ ok: true, changed: true });
      expect(summary.environments.created).toContain(qa);
      expect(summary.prompts.created).toContain(name);

      // Every prompt in every environment answers the same on both servers (minus the request's own time).
      const names: string[] = snapshot.prompts.map((p: { name: string }) => p.name);
      const envs: string[] = snapshot.environments.map((e: { name: string }) => e.name);
      const pairs = names.flatMap((n) => envs.map((e) => [n, e] as const));
      const strip = (b: Record<string, unknown>) => {
        const { resolvedAt: _r, ...rest } = b;
        return rest;
      };
      let compared = 0;
      for (let i = 0; i < pairs.length; i += 8) {
        await Promise.all(
          pairs.slice(i, i + 8).map(async ([n, e]) => {
            const [a, b] = await Promise.all([resolveOn(baseUrl, n, e), resolveOn(second.url, n, e)]);
            // Snapshots carry no experiments: where another test left one running, the source's answer says
            // it depends on the subject and the copy's does not; everything else must match.
            if (a.body.subjectDependent === true && b.body.subjectDependent === false) a.body.subjectDependent = false;
            expect({ status: b.status, body: strip(b.body) }, `${n} in ${e}`).toEqual({
              status: a.status,
              body: strip(a.body),
            });
            if (a.status === 200) compared++;
          }),
        );
      }
      expect(compared).toBeGreaterThan(0);
      expect((await resolveOn(second.url, name, "staging")).body).toMatchObject({ version: 1 });
      expect((await resolveOn(second.url, name, qa)).body).toMatchObject({ version: 1 });

      const twice = await lectern(["import", "-", "--base-url", second.url], {
        cwd: work,
        env: { LECTERN_API_KEY: secondKey },
        stdin: readFileSync(path.join(work, "project.json"), "utf8"),
      });
      expect(twice.code).toBe(0);
      expect(twice.stdout).toContain("Nothing to import: this project already has everything in the snapshot.");

      // Both sides save a version 3: the next import is refused and changes nothing.
      await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "v3 source {{x}}" } });
      const onSecond = await fetch(`${second.url}/api/v1/prompts/${enc(name)}/versions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secondKey}`, "content-type": "application/json" },
        body: JSON.stringify({ template: "v3 target {{x}}" }),
      });
      expect(onSecond.status).toBe(201);
      await lectern(["export", "--base-url", baseUrl, "--out", "project2.json"], { cwd: work, env });
      const diverged = await lectern(["import", "project2.json", "--base-url", second.url], {
        cwd: work,
        env: { LECTERN_API_KEY: secondKey },
      });
      expect(diverged.code).toBe(1);
      expect(diverged.stdout).toContain(`${name} version 3 has different content here than in the snapshot`);
      expect(diverged.stdout).toContain("template changed: +1 −1 lines");
      const latest = await fetch(`${second.url}/api/v1/prompts/${enc(name)}/versions/3`, {
        headers: { authorization: `Bearer ${secondKey}` },
      });
      expect(((await latest.json()) as { template: string }).template).toBe("v3 target {{x}}");
    },
  );
});
