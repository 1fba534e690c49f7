// `lectern types`: the generated declarations type-check an application's getPrompt and render
// against what an environment serves.
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../../test/api/client";
import { buildCli, createPrompt, enc, exec, removeTemps, repo, root, tempDir, uniq } from "./cli-harness";

const tsc = path.join(root, "node_modules/typescript/bin/tsc");

beforeAll(buildCli, 120_000);
afterAll(removeTemps);

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
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: "nodenext",
          moduleResolution: "nodenext",
          target: "es2022",
          lib: ["es2022", "dom"],
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        include: ["*.ts"],
      }),
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
    await createPrompt({
      name: tone,
      type: "text",
      template: "Be {{mood}}.",
      variables: [{ name: "mood", type: "string" }],
    });
    await createPrompt({
      name: reply,
      type: "chat",
      template: [
        { role: "user", content: `{{> ${tone}}} {{customer_name}} {{#vip}}VIP{{/vip}} {{attempts}} {{ticket}}` },
      ],
      variables: [
        { name: "customer_name", description: "first name" },
        { name: "vip", type: "boolean", required: false },
        { name: "attempts", type: "number", default: 1 },
        { name: "ticket", type: "json" },
      ],
    });
    await createPrompt({ name: `${folder}/draft-only`, type: "text", template: "not deployed" });
    for (const n of [tone, reply])
      await call("POST", `/api/v1/prompts/${enc(n)}/deployments`, { body: { environment: "staging", version: 1 } });
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
      [
        "an unknown variable",
        `(await lectern.getPrompt("${reply}")).render({ customer_name: "Ann", mood: "m", ticket: 1, custmer: "x" });`,
        /TS2353|TS2561/,
      ],
      [
        "a missing required variable",
        `(await lectern.getPrompt("${reply}")).render({ mood: "m", ticket: 1 });`,
        /TS2345.*customer_name/s,
      ],
      [
        "a wrong type",
        `(await lectern.getPrompt("${reply}")).render({ customer_name: 3, mood: "m", ticket: 1 });`,
        /TS2322/,
      ],
      ["no variables at all", `(await lectern.getPrompt("${reply}")).render();`, /TS2554/],
      ["an unknown prompt name", `await lectern.getPrompt("${folder}/draft-only");`, /TS2345/],
      [
        "a text prompt's result used as messages",
        `(await lectern.getPrompt("${tone}")).render({ mood: "m" })[0]!.role;`,
        /TS2339/,
      ],
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
