import path from "node:path";
import { defineConfig } from "vitest/config";

// Tiers (CONTRIBUTING.md, "Tests"): unit = lib/**/*.test.ts without a database; int = *.int.test.ts against PGlite, or
// PostgreSQL/Redis when TEST_DATABASE_URL / TEST_REDIS_URL are set; api = black-box tests against a running server
// (LECTERN_TEST_BASE_URL).
const alias = {
  "@": path.resolve(import.meta.dirname),
  "server-only": path.resolve(import.meta.dirname, "test/server-only-stub.ts"),
};

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: [
            "lib/**/*.test.ts",
            "server/**/*.test.ts",
            "sdk/src/**/*.test.ts",
            "sdk-python/*.test.ts",
            "cli/src/**/*.test.ts",
            "components/**/*.test.ts",
            "test/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "int",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", "sdk/node_modules/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: "forks",
        },
      },
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
