// The lectern command as a subprocess (node cli/dist/lectern.js, built here) against a real server
// started by scripts/with-server.sh, plus a second, fresh server started here for export/import.
// The first server is shared with other test files: every test works in its own folder of names.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { freePort, ServerProcess } from "../../test/cluster/harness";

const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "cli/dist/lectern.js");
const tsc = path.join(root, "node_modules/typescript/bin/tsc");
const enc = encodeURIComponent;
const uniq = () => randomBytes(4).toString("hex");
const temps: string[] = [];
// Never execFileSync here: a blocked event loop keeps fetch from noticing that the server closed an
// idle keep-alive connection, and the next request fails with "other side closed".
const exec = promisify(execFile);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in a clean environment: only what each test passes, plus PATH. */
function lectern(args: string[], opts: { cwd: string; env?: Record<string, string>; stdin?: string }): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [bin, ...args], { cwd: opts.cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...opts.env } as unknown as NodeJS.ProcessEnv, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });
}

function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `lectern-${prefix}-`));
  temps.push(d);
  return d;
}

/** A repository checkout: lectern.config.json (no key in it) and the key in the environment, like CI. */
function repo(folder: string, server = baseUrl) {
  const dir = tempDir("repo");
  writeFileSync(path.join(dir, "lectern.config.json"), JSON.stringify({ baseUrl: server, dir: "prompts", folder }, null, 2));
  const run = (args: string[], env: Record<string, string> = {}) => lectern(args, { cwd: dir, env: { LECTERN_API_KEY: adminKey, ...env } });
  const file = (name: string) => path.join(dir, "prompts", ...name.split("/")) + ".yaml";
  return { dir, run, file, read: (name: string) => readFileSync(file(name), "utf8"), write: (name: string, text: string) => writeFileSync(file(name), text) };
}

async function createPrompt(body: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts", { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

const resolveOn = async (server: string, name: string, environment: string) => {
  const res = await fetch(`${server}/api/v1/prompts/resolve?name=${enc(name)}&environment=${environment}`, { headers: { authorization: `Bearer ${adminKey}` } });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
};

beforeAll(async () => {
  await exec(process.execPath, [path.join(root, "cli/scripts/build.mjs")], { env: { ...process.env, LECTERN_QUIET_BUILD: "1" } });
}, 120_000);

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

describe("pull → edit → push → promote → resolve", () => {
  it("creates a version from the edited file, promotes it, and resolve serves it", async () => {
    const folder = `cli-${uniq()}`;
    const tone = `${folder}/shared/tone`;
    const reply = `${folder}/reply`;
    await createPrompt({ name: tone, type: "text", template: "Be {{mood}}.", variables: [{ name: "mood", default: "kind" }] });
    await createPrompt({
      name: reply,
      description: "Answers: a ticket",
      tags: ["support"],
      type: "chat",
      template: [
        { role: "system", content: `You help.\n{{> ${tone}}}\n` },
        { role: "user", content: "{{question}}" },
      ],
      variables: [{ name: "question", description: "what they asked" }],
      config: { model: "gpt-4o", temperature: 0.2 },
    });
    await call("POST", `/api/v1/prompts/${enc(tone)}/deployments`, { body: { environment: "staging", version: 1 } });
    const r = repo(folder);

    const pulled = await r.run(["pull"]);
    expect(pulled.code, pulled.stderr).toBe(0);
    expect(pulled.stdout).toContain(`prompts/${reply}.yaml created (version 1)`);
    const text = r.read(reply);
    expect(text).toBe(
      [
        "version: 1",
        "type: chat",
        'description: "Answers: a ticket"',
        "tags:",
        "  - support",
        "messages:",
        "  - role: system",
        "    content: |",
        "      You help.",
        `      {{> ${tone}}}`,
        "  - role: user",
        '    content: "{{question}}"',
        "variables:",
        "  - name: question",
        "    type: string",
        "    required: true",
        "    description: what they asked",
        "config:",
        "  model: gpt-4o",
        "  temperature: 0.2",
        "",
      ].join("\n"),
    );
    // Pulling again changes no byte.
    const again = await r.run(["pull"]);
    expect(again.code).toBe(0);
    expect(r.read(reply)).toBe(text);

    r.write(reply, text.replace("      You help.", "      You help, briefly.").replace("  temperature: 0.2", "  temperature: 0.3"));
    const dry = await r.run(["push", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`prompts/${reply}.yaml would be updated (version 1 → 2)`);
    expect(dry.stdout).toContain("+ You help, briefly.");
    expect(dry.stdout).toContain("temperature 0.2 → 0.3");
    expect((await call("GET", `/api/v1/prompts/${enc(reply)}`)).body.prompt.latestVersion).toBe(1);

    const pushed = await r.run(["push", "--message", "shorter answers", "--json"]);
    expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);
    const doc = JSON.parse(pushed.stdout);
    expect(doc).toMatchObject({ ok: true, command: "push", exitCode: 0 });
    expect(doc.files.find((f: { name: string }) => f.name === reply)).toMatchObject({ status: "updated", version: 2, baseVersion: 1 });
    expect(r.read(reply)).toMatch(/^version: 2\n/);
    const v2 = await call("GET", `/api/v1/prompts/${enc(reply)}/versions/2`);
    expect(v2.body).toMatchObject({ commitMessage: "shorter answers", baseVersion: 1, config: { model: "gpt-4o", temperature: 0.3 } });
    expect(v2.body.template[0].content).toBe(`You help, briefly.\n{{> ${tone}}}\n`);

    // Unchanged files are skipped: a second push saves nothing.
    const noop = await r.run(["push"]);
    expect(noop.code).toBe(0);
    expect(noop.stdout).toContain("2 files: 2 unchanged");
    expect((await call("GET", `/api/v1/prompts/${enc(reply)}`)).body.prompt.latestVersion).toBe(2);

    const promoted = await r.run(["promote", reply, "staging"]);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toContain(`${reply}: staging now serves version 2`);
    const served = await resolveOn(baseUrl, reply, "staging");
    expect(served.status).toBe(200);
    expect(served.body).toMatchObject({ version: 2, config: { temperature: 0.3 } });
    expect((served.body.template as { content: string }[])[0]!.content).toContain("You help, briefly.");
    expect(served.body.partials).toMatchObject({ [tone]: { version: 1 } });

    const status = await r.run(["status", "--json"]);
    expect(JSON.parse(status.stdout).prompts.find((p: { name: string }) => p.name === reply)).toMatchObject({ latest: 2, environments: { staging: 2, production: null }, local: "up to date" });

    // A new file creates a prompt; a rollback returns staging to what it served before.
    mkdirSync(path.dirname(r.file(`${folder}/new/greeting`)), { recursive: true });
    r.write(`${folder}/new/greeting`, "type: text\ntemplate: |\n  Hello {{name}}!\n  Welcome.\nvariables:\n  - name: name\n");
    const created = await r.run(["push", "-m", "first"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`prompts/${folder}/new/greeting.yaml created (version 1)`);
    expect(r.read(`${folder}/new/greeting`)).toBe("version: 1\ntype: text\ntemplate: |\n  Hello {{name}}!\n  Welcome.\nvariables:\n  - name: name\n");
    expect((await call("GET", `/api/v1/prompts/${enc(`${folder}/new/greeting`)}/versions/1`)).body.template).toBe("Hello {{name}}!\nWelcome.\n");
    await r.run(["promote", reply, "staging", "--version", "1"]);
    const back = await r.run(["rollback", reply, "staging"]);
    expect(back.code, back.stderr).toBe(0);
    expect((await resolveOn(baseUrl, reply, "staging")).body.version).toBe(2);

    // History files, one per version, are written once and never taken for prompts.
    const history = await r.run(["pull", "--all-versions"]);
    expect(history.code, history.stderr).toBe(0);
    expect(readFileSync(path.join(r.dir, "prompts", ".history", ...reply.split("/"), "v1.yaml"), "utf8")).toMatch(/^# .* version 1, .*\nversion: 1\n/);
    expect(existsSync(path.join(r.dir, "prompts", ".history", ...reply.split("/"), "v2.yaml"))).toBe(true);
    expect((await r.run(["push"])).stdout).toContain("3 files: 3 unchanged");
    // What an environment serves, rather than the latest.
    const other = await r.run(["pull", "--environment", "production", "--dir", "live"]);
    expect(other.code, other.stderr).toBe(0);
    expect(other.stdout).toContain(`nothing of ${reply} is live in production`);
    const dev = await r.run(["pull", "--environment", "staging", "--dir", "live"]);
    expect(readFileSync(path.join(r.dir, "live", ...reply.split("/")) + ".yaml", "utf8")).toMatch(/^version: 2\n/);
    expect(dev.code).toBe(0);

    const diff = await r.run(["diff", reply, "1", "2"]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("- You help.");
    expect(diff.stdout).toContain("+ You help, briefly.");
  });

  it("push --promote promotes exactly the versions it created", async () => {
    const folder = `cli-${uniq()}`;
    const r = repo(folder);
    mkdirSync(path.join(r.dir, "prompts", folder), { recursive: true });
    r.write(`${folder}/a`, "template: A {{x}}\nvariables: [{name: x}]\n");
    const p = await r.run(["push", "--promote", "development"]);
    expect(p.code, p.stderr).toBe(0);
    expect((await resolveOn(baseUrl, `${folder}/a`, "development")).body.version).toBe(1);
    const again = await r.run(["push", "--promote", "development"]);
    expect(again.stdout).not.toContain("promoted");
    // Description and tags are not versioned: a push sets them, creating no version.
    r.write(`${folder}/a`, r.read(`${folder}/a`).replace("template:", "description: Greets people\ntags: [greeting]\ntemplate:"));
    const details = await r.run(["push"]);
    expect(details.code, details.stderr).toBe(0);
    expect(details.stdout).toContain("description or tags updated");
    expect((await call("GET", `/api/v1/prompts/${enc(`${folder}/a`)}`)).body.prompt).toMatchObject({ description: "Greets people", tags: ["greeting"], latestVersion: 1 });
  });
});

describe("conflicts", () => {
  it("refuses a push based on an older version, shows both diffs, writes nothing; pull merges, then push works", async () => {
    const folder = `cli-${uniq()}`;
    const name = `${folder}/summary`;
    await createPrompt({ name, type: "text", template: "Summarise {{text}}.\n\nBe brief.", variables: [{ name: "text" }] });
    const r = repo(folder);
    expect((await r.run(["pull"])).code).toBe(0);
    // Someone saves version 2 in the web UI meanwhile.
    const ui = await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "Summarise {{text}}.\n\nBe brief.\nUse English.", baseVersion: 1 } });
    expect(ui.status).toBe(201);
    r.write(name, r.read(name).replace("Summarise {{text}}.", "Please summarise {{text}}."));
    const edited = r.read(name);

    const pushed = await r.run(["push"]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(`prompts/${name}.yaml: conflict: This edit is based on version 1, but version 2 has been saved since.`);
    expect(pushed.stdout).toContain("changed on the server since version 1 (→ version 2):");
    expect(pushed.stdout).toContain("+ Use English.");
    expect(pushed.stdout).toContain("your changes (version 1 → this file):");
    expect(pushed.stdout).toContain("+ Please summarise {{text}}.");
    expect(r.read(name)).toBe(edited);
    expect((await call("GET", `/api/v1/prompts/${enc(name)}`)).body.prompt.latestVersion).toBe(2);

    const predicted = await r.run(["push", "--dry-run"]);
    expect(predicted.code).toBe(1);
    expect(predicted.stderr).toContain("(the push would be refused)");

    const merged = await r.run(["pull"]);
    expect(merged.code, merged.stderr).toBe(0);
    expect(merged.stdout).toContain("merged (version 1 → 2)");
    expect(r.read(name)).toContain("version: 2\n");
    const after = await r.run(["push", "-m", "merged"]);
    expect(after.code, after.stderr).toBe(0);
    expect((await call("GET", `/api/v1/prompts/${enc(name)}/versions/3`)).body.template).toBe("Please summarise {{text}}.\n\nBe brief.\nUse English.");
  });

  it("pull writes conflict markers when both sides changed the same line, and push refuses them before any request", async () => {
    const folder = `cli-${uniq()}`;
    const name = `${folder}/line`;
    await createPrompt({ name, type: "text", template: "one\ntwo\nthree" });
    const r = repo(folder);
    await r.run(["pull"]);
    await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "one\nTWO (server)\nthree", baseVersion: 1 } });
    r.write(name, r.read(name).replace("  two", "  two (local)"));
    const pulled = await r.run(["pull"]);
    expect(pulled.code).toBe(1);
    expect(r.read(name)).toContain("<<<<<<< local");
    const pushed = await r.run(["push"], { LECTERN_BASE_URL: "http://127.0.0.1:9" });
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain("has unresolved merge conflict markers");
    expect(pushed.stderr).not.toContain("Cannot reach");
  });
});

describe("validation before any network call", () => {
  it("a bad file fails with the editor's message, naming file, field and line, even with the server unreachable", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = repo("ops", closed);
    mkdirSync(path.join(r.dir, "prompts", "ops"), { recursive: true });
    r.write("ops/greet", "type: chat\nmessages:\n  - role: system\n    content: |\n      Hello {{name}}\n      {{/oops}}\n");
    const bad = await r.run(["push"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/prompts\/ops\/greet\.yaml:6: messages\[0\]\.content: Template does not parse: Unopened section "oops" at \d+/);
    expect(bad.stderr).not.toContain("Cannot reach");
    const json = await r.run(["push", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, exitCode: 1, problems: [{ file: "prompts/ops/greet.yaml", field: "messages[0].content", line: 6 }] });
    // The same directory with the file fixed does go to the network, and finds nothing there.
    r.write("ops/greet", "type: chat\nmessages:\n  - role: system\n    content: Hello {{name}}\nvariables: [{name: name}]\n");
    const fixed = await r.run(["push"]);
    expect(fixed.code).toBe(4);
    expect(fixed.stderr).toContain(`Cannot reach Lectern at ${closed}`);
  });

  it("an undeclared variable gets the server's own words", async () => {
    const folder = `cli-${uniq()}`;
    const r = repo(folder);
    mkdirSync(path.join(r.dir, "prompts", folder), { recursive: true });
    r.write(`${folder}/x`, "template: Hi {{who}}\n");
    const local = await r.run(["validate"]);
    const server = await call("POST", "/api/v1/prompts", { body: { name: `${folder}/x`, type: "text", template: "Hi {{who}}" } });
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`prompts/${folder}/x.yaml:1: template: ${server.body.error.message}`);
  });
});

describe("exit codes against a real server", () => {
  it("2 usage, 3 authentication, 4 network", async () => {
    const r = repo(`cli-${uniq()}`);
    expect((await r.run(["push", "--bogus"])).code).toBe(2);
    expect((await r.run(["promote", "only-one-arg"])).code).toBe(2);
    const wrongKey = await r.run(["status"], { LECTERN_API_KEY: "lk_wrong_key_0123456789abcdef0123" });
    expect(wrongKey.code).toBe(3);
    expect(wrongKey.stderr).toContain("Invalid API key.");
    const runtime = await call("POST", "/api/v1/api-keys", { body: { name: `cli runtime ${uniq()}`, scope: "runtime" } });
    const notAdmin = await r.run(["status"], { LECTERN_API_KEY: runtime.body.key });
    expect(notAdmin.code).toBe(3);
    expect(notAdmin.stderr).toContain("admin API key");
    const down = await r.run(["status", "--base-url", `http://127.0.0.1:${await freePort()}`]);
    expect(down.code).toBe(4);
    const missing = await r.run(["promote", `cli-${uniq()}/nope`, "production"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No prompt named/);
  });
});

describe("lectern types", () => {
  let app: string;

  beforeAll(async () => {
    // The SDK as an application installs it: its package.json, its built declarations.
    await exec("npm", ["run", "build", "--workspace", "@lectern/sdk"], { cwd: root });
    app = tempDir("app");
    mkdirSync(path.join(app, "node_modules", "@lectern"), { recursive: true });
    symlinkSync(path.join(root, "sdk"), path.join(app, "node_modules", "@lectern", "sdk"), "dir");
    writeFileSync(
      path.join(app, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, module: "nodenext", moduleResolution: "nodenext", target: "es2022", lib: ["es2022", "dom"], noEmit: true, skipLibCheck: true, types: [] }, include: ["*.ts"] }),
    );
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "app", type: "module", private: true }));
  }, 180_000);

  const compile = async () => {
    try {
      await exec(process.execPath, [tsc, "-p", app], { cwd: app });
      return { ok: true, output: "" };
    } catch (e) {
      return { ok: false, output: String((e as { stdout?: string }).stdout ?? e) };
    }
  };

  it("types getPrompt and render from what an environment serves; a wrong or missing variable, or an unknown name, does not compile", async () => {
    const folder = `cli-${uniq()}`;
    const reply = `${folder}/support-reply`;
    const tone = `${folder}/tone`;
    await createPrompt({ name: tone, type: "text", template: "Be {{mood}}.", variables: [{ name: "mood", type: "string" }] });
    await createPrompt({
      name: reply,
      type: "chat",
      template: [{ role: "user", content: `{{> ${tone}}} {{customer_name}} {{#vip}}VIP{{/vip}} {{attempts}} {{ticket}}` }],
      variables: [
        { name: "customer_name", description: "first name" },
        { name: "vip", type: "boolean", required: false },
        { name: "attempts", type: "number", default: 1 },
        { name: "ticket", type: "json" },
      ],
    });
    await createPrompt({ name: `${folder}/draft-only`, type: "text", template: "not deployed" });
    for (const n of [tone, reply]) await call("POST", `/api/v1/prompts/${enc(n)}/deployments`, { body: { environment: "staging", version: 1 } });
    const r = repo(folder);
    const out = path.join(app, "lectern.d.ts");
    const gen = await r.run(["types", "--environment", "staging", "--out", out]);
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.stdout).toContain(`2 prompts typed (1 not live in staging: ${folder}/draft-only)`);
    const dts = readFileSync(out, "utf8");
    expect(dts).toContain(`"${reply}": {\n      type: "chat";`);
    expect(dts).toContain("        mood: string;"); // from the partial
    expect(dts).toContain("        vip?: boolean;");
    expect(dts).toContain("        attempts?: number;");
    expect(dts).toContain("        ticket: unknown;");
    expect((await r.run(["types", "--environment", "staging", "--out", out, "--check"])).code).toBe(0);

    const sample = (body: string) =>
      writeFileSync(
        path.join(app, "app.ts"),
        `import { createClient } from "@lectern/sdk";\nconst lectern = createClient({ baseUrl: "http://localhost", apiKey: "k", environment: "staging" });\nexport async function main() {\n${body}\n}\n`,
      );
    sample(`  const prompt = await lectern.getPrompt("${reply}");
  const messages = prompt.render({ customer_name: "Ann", mood: "warm", ticket: { id: 7 }, vip: true });
  const role: string = messages[0]!.role;
  const tone = await lectern.getPrompt("${tone}");
  const text: string = tone.render({ mood: "calm" });
  return [role, text];`);
    const good = await compile();
    expect(good.output).toBe("");
    expect(good.ok).toBe(true);

    const failures: [string, string, RegExp][] = [
      ["an unknown variable", `(await lectern.getPrompt("${reply}")).render({ customer_name: "Ann", mood: "m", ticket: 1, custmer: "x" });`, /TS2353|TS2561/],
      ["a missing required variable", `(await lectern.getPrompt("${reply}")).render({ mood: "m", ticket: 1 });`, /TS2345.*customer_name/s],
      ["a wrong type", `(await lectern.getPrompt("${reply}")).render({ customer_name: 3, mood: "m", ticket: 1 });`, /TS2322/],
      ["no variables at all", `(await lectern.getPrompt("${reply}")).render();`, /TS2554/],
      ["an unknown prompt name", `await lectern.getPrompt("${folder}/draft-only");`, /TS2345/],
      ["a text prompt's result used as messages", `(await lectern.getPrompt("${tone}")).render({ mood: "m" })[0]!.role;`, /TS2339/],
    ];
    for (const [what, line, code] of failures) {
      sample(`  ${line}`);
      const r2 = await compile();
      expect(r2.ok, `${what} compiled`).toBe(false);
      expect(r2.output, what).toMatch(code);
    }

    // Without the generated file the client is as loosely typed as before: any name, any record.
    rmSync(out);
    sample(`  const p = await lectern.getPrompt("anything" + Math.random());\n  return p.render({ whatever: 1 });`);
    expect(await compile()).toEqual({ ok: true, output: "" });
    expect(existsSync(out)).toBe(false);
  });
});

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

  it("yields identical resolve answers, imports nothing the second time, and refuses diverged history", async () => {
    // Some history worth moving: versions, a rollback, a new environment with a rule.
    const folder = `cli-${uniq()}`;
    const name = `${folder}/moved`;
    await createPrompt({ name, type: "text", template: "v1 {{x}}", variables: [{ name: "x" }] });
    await call("POST", `/api/v1/prompts/${enc(name)}/versions`, { body: { template: "v2 {{x}}" } });
    await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: "staging", version: 1 } });
    await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: "staging", version: 2 } });
    await call("POST", `/api/v1/prompts/${enc(name)}/rollback`, { body: { environment: "staging" } });
    const qa = `qa${uniq()}`;
    expect((await call("POST", "/api/v1/environments", { body: { name: qa, requiresLiveIn: "staging" } })).status).toBe(201);
    await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, { body: { environment: qa, version: 1 } });

    const work = tempDir("export");
    const env = { LECTERN_API_KEY: adminKey };
    const exported = await lectern(["export", "--base-url", baseUrl, "--out", "project.json"], { cwd: work, env });
    expect(exported.code, exported.stderr).toBe(0);
    const snapshot = JSON.parse(readFileSync(path.join(work, "project.json"), "utf8"));
    expect(snapshot.format).toBe("lectern.project/1");
    // Also to standard output, as `lectern export > project.json`.
    const piped = await lectern(["export", "--base-url", baseUrl], { cwd: work, env });
    expect(JSON.parse(piped.stdout).format).toBe("lectern.project/1");

    const imported = await lectern(["import", "project.json", "--base-url", second.url, "--json"], { cwd: work, env: { LECTERN_API_KEY: secondKey } });
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
          expect({ status: b.status, body: strip(b.body) }, `${n} in ${e}`).toEqual({ status: a.status, body: strip(a.body) });
          if (a.status === 200) compared++;
        }),
      );
    }
    expect(compared).toBeGreaterThan(0);
    expect((await resolveOn(second.url, name, "staging")).body).toMatchObject({ version: 1 });
    expect((await resolveOn(second.url, name, qa)).body).toMatchObject({ version: 1 });

    const twice = await lectern(["import", "-", "--base-url", second.url], { cwd: work, env: { LECTERN_API_KEY: secondKey }, stdin: readFileSync(path.join(work, "project.json"), "utf8") });
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
    const diverged = await lectern(["import", "project2.json", "--base-url", second.url], { cwd: work, env: { LECTERN_API_KEY: secondKey } });
    expect(diverged.code).toBe(1);
    expect(diverged.stdout).toContain(`${name} version 3 has different content here than in the snapshot`);
    expect(diverged.stdout).toContain("template changed: +1 −1 lines");
    const latest = await fetch(`${second.url}/api/v1/prompts/${enc(name)}/versions/3`, { headers: { authorization: `Bearer ${secondKey}` } });
    expect(((await latest.json()) as { template: string }).template).toBe("v3 target {{x}}");
  });
});
