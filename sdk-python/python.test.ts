// The Python client's own unittest suite (sdk-python/tests: render cases shared with the TypeScript
// SDK, and the client against a local fake Lectern), run here so the unit tier — and `npm test` — runs
// it; and the wheel that scripts/pack-python-sdk.mjs writes, checked the way pip reads it.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const exec = promisify(execFile);
const dir = import.meta.dirname;
const python = process.env.LECTERN_TEST_PYTHON ?? "python3";

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  try {
    return await exec(cmd, args, { cwd: dir, env: { ...process.env, ...env }, encoding: "utf8", timeout: 60_000 });
  } catch (e) {
    const { stdout = "", stderr = "", code } = e as { stdout?: string; stderr?: string; code?: unknown };
    if (code === "ENOENT") throw new Error(`${cmd} is not installed: the Python client's tests need Python 3.9+`);
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  }
}

const out = await mkdtemp(path.join(tmpdir(), "lectern-wheel-"));
afterAll(() => rm(out, { recursive: true, force: true }));

// Reads the wheel as pip does: a valid zip whose RECORD lists every other file with its sha256 and size,
// and whose modules parse as Python 3.9.
const checkWheel = `
import ast, base64, csv, hashlib, io, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
names = z.namelist()
info = [n for n in names if n.endswith(".dist-info/RECORD")][0].rsplit("/", 1)[0]
rows = list(csv.reader(io.StringIO(z.read(info + "/RECORD").decode())))
listed = {r[0] for r in rows}
assert listed == set(names), (listed ^ set(names))
for name, digest, size in rows:
    if name == info + "/RECORD":
        continue
    data = z.read(name)
    want = "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    assert digest == want and int(size) == len(data), name
    if name.endswith(".py"):
        ast.parse(data, name, feature_version=(3, 9))
print(z.read(info + "/WHEEL").decode())
print(z.read(info + "/METADATA").decode().split("\\n\\n")[0])
`;

// Subprocesses: a Python interpreter's start and the suite's local servers take seconds on a busy machine.
describe("the Python client", { timeout: 60_000 }, () => {
  it("passes its unittest suite", async () => {
    const { stderr } = await run(python, ["-m", "unittest", "discover", "-s", "tests", "-t", "tests"], {
      PYTHONPATH: ["src", "tests"].join(path.delimiter),
    });
    // unittest reports on stderr: "Ran N tests … OK".
    const ran = Number(/Ran (\d+) tests?/.exec(stderr)?.[1] ?? 0);
    expect(ran).toBeGreaterThanOrEqual(10);
    expect(stderr).toMatch(/\nOK\b/);
  });

  it("builds a wheel pip can read", async () => {
    await run(process.execPath, [path.join(dir, "../scripts/pack-python-sdk.mjs"), "--out", out]);
    const init = readFileSync(path.join(dir, "src/lectern/__init__.py"), "utf8");
    const version = /^__version__ = "([^"]+)"$/m.exec(init)?.[1];
    expect(version).toBeDefined();
    const { stdout } = await run(python, ["-c", checkWheel, path.join(out, `lectern-${version}-py3-none-any.whl`)]);
    expect(stdout).toContain("Tag: py3-none-any");
    expect(stdout).toContain("Root-Is-Purelib: true");
    expect(stdout).toContain(`Name: lectern\nVersion: ${version}`);
    expect(stdout).toContain("Requires-Python: >=3.9");
  });
});
