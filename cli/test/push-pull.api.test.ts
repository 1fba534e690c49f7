// `lectern pull` / `push` / `promote` against the server started by scripts/with-server.sh: the
// edit → push → promote → resolve loop, and conflicts.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call } from "../../test/api/client";
import { buildCli, createPrompt, enc, removeTemps, repo, resolveOn, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

describe("pull → edit → push → promote → resolve", () => {
  it("creates a version from the edited file, promotes it, and resolve serves it", async () => {
    const folder = `cli-${uniq()}`;
    const tone = `${folder}/shared/tone`;
    const reply = `${folder}/reply`;
    await createPrompt({
      name: tone,
      type: "text",
      template: "Be {{mood}}.",
      variables: [{ name: "mood", default: "kind" }],
    });
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

    r.write(
      reply,
      text.replace("      You help.", "      You help, briefly.").replace("  temperature: 0.2", "  temperature: 0.3"),
    );
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
    expect(doc.files.find((f: { name: string }) => f.name === reply)).toMatchObject({
      status: "updated",
      version: 2,
      baseVersion: 1,
    });
    expect(r.read(reply)).toMatch(/^version: 2\n/);
    const v2 = await call("GET", `/api/v1/prompts/${enc(reply)}/versions/2`);
    expect(v2.body).toMatchObject({
      commitMessage: "shorter answers",
      baseVersion: 1,
      config: { model: "gpt-4o", temperature: 0.3 },
    });
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
    expect(JSON.parse(status.stdout).prompts.find((p: { name: string }) => p.name === reply)).toMatchObject({
      latest: 2,
      environments: { staging: 2, production: null },
      local: "up to date",
    });

    // A new file creates a prompt; a rollback returns staging to what it served before.
    mkdirSync(path.dirname(r.file(`${folder}/new/greeting`)), { recursive: true });
    r.write(
      `${folder}/new/greeting`,
      "type: text\ntemplate: |\n  Hello {{name}}!\n  Welcome.\nvariables:\n  - name: name\n",
    );
    const created = await r.run(["push", "-m", "first"]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`prompts/${folder}/new/greeting.yaml created (version 1)`);
    expect(r.read(`${folder}/new/greeting`)).toBe(
      "version: 1\ntype: text\ntemplate: |\n  Hello {{name}}!\n  Welcome.\nvariables:\n  - name: name\n",
    );
    expect((await call("GET", `/api/v1/prompts/${enc(`${folder}/new/greeting`)}/versions/1`)).body.template).toBe(
      "Hello {{name}}!\nWelcome.\n",
    );
    await r.run(["promote", reply, "staging", "--version", "1"]);
    const back = await r.run(["rollback", reply, "staging"]);
    expect(back.code, back.stderr).toBe(0);
    expect((await resolveOn(baseUrl, reply, "staging")).body.version).toBe(2);

    // History files, one per version, are written once and never taken for prompts.
    const history = await r.run(["pull", "--all-versions"]);
    expect(history.code, history.stderr).toBe(0);
    expect(readFileSync(path.join(r.dir, "prompts", ".history", ...reply.split("/"), "v1.yaml"), "utf8")).toMatch(
      /^# .* version 1, .*\nversion: 1\n/,
    );
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
    r.write(
      `${folder}/a`,
      r.read(`${folder}/a`).replace("template:", "description: Greets people\ntags: [greeting]\ntemplate:"),
    );
    const details = await r.run(["push"]);
    expect(details.code, details.stderr).toBe(0);
    expect(details.stdout).toContain("description or tags updated");
    expect((await call("GET", `/api/v1/prompts/${enc(`${folder}/a`)}`)).body.prompt).toMatchObject({
      description: "Greets people",
      tags: ["greeting"],
      latestVersion: 1,
    });
  });
});

describe("conflicts", () => {
  it("refuses a push based on an older version, shows both diffs, writes nothing; pull merges, then push works", async () => {
    const folder = `cli-${uniq()}`;
    const name = `${folder}/summary`;
    await createPrompt({
      name,
      type: "text",
      template: "Summarise {{text}}.\n\nBe brief.",
      variables: [{ name: "text" }],
    });
    const r = repo(folder);
    expect((await r.run(["pull"])).code).toBe(0);
    // Someone saves version 2 in the web UI meanwhile.
    const ui = await call("POST", `/api/v1/prompts/${enc(name)}/versions`, {
      body: { template: "Summarise {{text}}.\n\nBe brief.\nUse English.", baseVersion: 1 },
    });
    expect(ui.status).toBe(201);
    r.write(name, r.read(name).replace("Summarise {{text}}.", "Please summarise {{text}}."));
    const edited = r.read(name);

    const pushed = await r.run(["push"]);
    expect(pushed.code).toBe(1);
    expect(pushed.stderr).toContain(
      `prompts/${name}.yaml: conflict: This edit is based on version 1, but version 2 has been saved since.`,
    );
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
    expect((await call("GET", `/api/v1/prompts/${enc(name)}/versions/3`)).body.template).toBe(
      "Please summarise {{text}}.\n\nBe brief.\nUse English.",
    );
  });

  it("pull writes conflict markers when both sides changed the same line, and push refuses them before any request", async () => {
    const folder = `cli-${uniq()}`;
    const name = `${folder}/line`;
    await createPrompt({ name, type: "text", template: "one\ntwo\nthree" });
    const r = repo(folder);
    await r.run(["pull"]);
    await call("POST", `/api/v1/prompts/${enc(name)}/versions`, {
      body: { template: "one\nTWO (server)\nthree", baseVersion: 1 },
    });
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
