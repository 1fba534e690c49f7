import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

// The one-way flow app → lib/server → lib/<domain> → db is enforced by oxlint's no-restricted-imports
// (.oxlintrc.json) and, for lib/server, here (CONTRIBUTING.md, "Domains are framework-free").
// lib/server is out of bounds for every domain however the import is spelled (`@/lib/server/…`,
// `../server/…`, `../../server/…`): import/no-restricted-paths resolves the import to a file first and
// compares where that file is, where a pattern on the written path misses the spellings nobody listed.
// test/lint-boundaries.test.ts lints fixtures against this config.
const serverBoundary = {
  basePath: import.meta.dirname,
  zones: [
    {
      target: ["lib/!(server)/**", "lib/*.*"],
      from: "lib/server",
      message: "Domain code must not import lib/server; receive what it needs as arguments.",
    },
  ],
};

// ESLint runs only what oxlint (.oxlintrc.json: every other rule, the type-aware ones through typescript-go) cannot:
// the React Compiler's rules of eslint-plugin-react-hooks, two rules oxlint lacks, and the lib/server boundary,
// which resolves each import to a file. Without type information ESLint lints in a fraction of its old time
// (docs/testing.md, "Lint").
const coveredByOxlint = new Set([
  "react-hooks/rules-of-hooks",
  "react-hooks/exhaustive-deps",
  "import/no-anonymous-default-export",
]);
const residual = (rules) =>
  Object.fromEntries(
    Object.entries(rules ?? {}).filter(
      ([name]) =>
        (name.startsWith("react-hooks/") && !coveredByOxlint.has(name)) ||
        name === "react/no-deprecated" ||
        name === "@next/next/no-location-assign-relative-destination",
    ),
  );

// What React renders (the React Compiler's rules) and the domains (the boundary): ESLint reads nothing else.
const reactFiles = ["app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}"];
const libFiles = ["lib/**/*.{ts,tsx,mts,js,mjs}"];

const config = [
  {
    ignores: [
      ".next/**",
      ".claude/**",
      ".next-*/**",
      "public/**",
      "node_modules/**",
      "sdk/dist/**",
      "cli/dist/**",
      "db/migrations/**",
      "scratch/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  // The directives in the code name rules oxlint now runs (it honours eslint-disable comments).
  { linterOptions: { reportUnusedDisableDirectives: "off" } },
  ...nextVitals.map((c) => ({ ...c, files: reactFiles, rules: residual(c.rules) })),
  { files: [...reactFiles, ...libFiles], languageOptions: { parser: tseslint.parser } },
  {
    files: libFiles,
    ignores: ["lib/server/**"],
    plugins: { import: nextVitals.find((c) => c.plugins?.import).plugins.import },
    settings: nextVitals.find((c) => c.settings?.["import/resolver"]).settings,
    rules: { "import/no-restricted-paths": ["error", serverBoundary] },
  },
];
export default config;
