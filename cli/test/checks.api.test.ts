// What `lectern` refuses before any request (a bad file, an undeclared variable), and its exit codes
// against a real server.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/api/client";
import { freePort } from "../../test/cluster/harness";
import { buildCli, removeTemps, repo, uniq } from "./cli-harness";

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

describe("validation before any network call", () => {
  it("a bad file fails with the editor's message, naming file, field and line, even with the server unreachable", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = repo("ops", closed);
    mkdirSync(path.join(r.dir, "prompts", "ops"), { recursive: true });
    r.write(
      "ops/greet",
      "type: chat\nmessages:\n  - role: system\n    content: |\n      Hello {{name}}\n      {{/oops}}\n",
    );
    const bad = await r.run(["push"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /prompts\/ops\/greet\.yaml:6: messages\[0\]\.content: Template does not parse: Unopened section "oops" at \d+/,
    );
    expect(bad.stderr).not.toContain("Cannot reach");
    const json = await r.run(["push", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      exitCode: 1,
      problems: [{ file: "prompts/ops/greet.yaml", field: "messages[0].content", line: 6 }],
    });
    // The same directory with the file fixed does go to the network, and finds nothing there.
    r.write(
      "ops/greet",
      "type: chat\nmessages:\n  - role: system\n    content: Hello {{name}}\nvariables: [{name: name}]\n",
    );
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
    const server = await call("POST", "/api/v1/prompts", {
      body: { name: `${folder}/x`, type: "text", template: "Hi {{who}}" },
    });
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
    const runtime = await call("POST", "/api/v1/api-keys", {
      body: { name: `cli runtime ${uniq()}`, scope: "runtime" },
    });
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
