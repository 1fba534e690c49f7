import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "vitest/config";
import SlowestFirst from "./test/sequencer";

// Tiers (CONTRIBUTING.md, "Tests"): unit = lib/**/*.test.ts without a database; int = *.int.test.ts against PGlite, or
// PostgreSQL/Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set; api = black-box tests against a running server
// (LECTERN_TEST_BASE_URL).
const root = import.meta.dirname;
const alias = {
  "@": path.resolve(root),
  "server-only": path.resolve(root, "test/server-only-stub.ts"),
};

// The unit and int tiers run their files in one module graph per worker (`isolate: false`): importing the
// product's modules again for every file cost more than the tests themselves (unit 85 s → 24 s; int on
// PGlite 12 min → 3). A file that replaces or reloads modules or the environment (vi.mock, vi.doMock,
// vi.stubEnv, vi.stubGlobal, vi.resetModules) would leak that into the files after it, so such files are
// found here, by reading them, and run in a project of their own with a graph of their own.
const replacesModules = /\bvi\.(mock|doMock|stubEnv|stubGlobal|resetModules)\(/;
function testFiles(dir: string, suffix: RegExp): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return e.name === "node_modules" || e.name.startsWith(".") ? [] : testFiles(rel, suffix);
    return suffix.test(e.name) ? [rel] : [];
  });
}
const isolated = (files: string[]) =>
  files.filter((f) => replacesModules.test(readFileSync(path.join(root, f), "utf8")));

const unitInclude = [
  "lib/**/*.test.ts",
  "gateway/**/*.test.ts",
  "sdk/src/**/*.test.ts",
  "sdk-python/*.test.ts",
  "cli/src/**/*.test.ts",
  "components/**/*.test.ts",
  "test/*.test.ts",
];
const unitDirs = ["lib", "gateway", "sdk/src", "sdk-python", "cli/src", "components"];
const unitIsolated = isolated(
  [
    ...unitDirs.flatMap((d) => testFiles(d, /\.test\.ts$/)),
    ...readdirSync(path.join(root, "test")).map((f) => `test/${f}`),
  ].filter((f) => f.endsWith(".test.ts") && !f.endsWith(".int.test.ts")),
);
const intDirs = ["lib", "db", "gateway", "test"];
const intIsolated = isolated(intDirs.flatMap((d) => testFiles(d, /\.int\.test\.ts$/)));

const unit = { include: unitInclude, exclude: ["**/*.int.test.ts"], environment: "node" } as const;
const int = {
  include: ["**/*.int.test.ts"],
  exclude: ["node_modules/**", "sdk/node_modules/**"],
  environment: "node",
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: "forks",
  // One migrated database per run that each file's database starts from (test/int-setup.ts).
  globalSetup: ["test/int-setup.ts"],
} as const;

export default defineConfig({
  test: {
    // The slowest files first, so that no worker ends a tier alone with one (test/sequencer.ts).
    sequence: { sequencer: SlowestFirst },
    projects: [
      {
        resolve: { alias },
        test: { ...unit, name: "unit", isolate: false, exclude: [...unit.exclude, ...unitIsolated] },
      },
      {
        resolve: { alias },
        test: { ...unit, name: "unit:isolated", include: unitIsolated.length ? unitIsolated : ["-"] },
      },
      { resolve: { alias }, test: { ...int, name: "int", isolate: false, exclude: [...int.exclude, ...intIsolated] } },
      { resolve: { alias }, test: { ...int, name: "int:isolated", include: intIsolated.length ? intIsolated : ["-"] } },
      {
        resolve: { alias },
        test: {
          name: "cluster",
          include: ["test/cluster/**/*.cluster.test.ts"],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "api",
          include: ["test/api/**/*.api.test.ts", "sdk/test/**/*.api.test.ts", "cli/test/**/*.api.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
