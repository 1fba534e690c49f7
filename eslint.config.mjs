import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

// The one-way flow app → lib/server → lib/<domain> → db is enforced here (CONTRIBUTING.md, "Domains are
// framework-free").
const domainRestrictions = {
  patterns: [
    {
      group: ["next", "next/*", "react", "react-dom", "next-auth", "next-auth/*"],
      message: "Domain code under lib/ is framework-free.",
    },
    { group: ["@/app/*", "@/components/*"], message: "lib/ must not import from app/ or components/." },
  ],
};

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

// lib/stats (statistics, hashing, seeded randomness) and lib/net (the SSRF guard) are leaves every domain
// builds on: they import npm packages, node built-ins and their own modules only, so no cycle can run
// through them.
const statsRestrictions = {
  patterns: [
    ...domainRestrictions.patterns,
    {
      group: ["../*", "@/*"],
      message: "lib/stats and lib/net are leaves: import only ./ modules and packages, never another lib domain or db.",
    },
  ],
};

const config = [
  {
    ignores: [
      ".next/**",
      ".claude/**",
      ".next-*/**",
      "public/monaco/**",
      "public/scalar/**",
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
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
    },
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/server/**"],
    rules: {
      "no-restricted-imports": ["error", domainRestrictions],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Only lib/server/wiring/env.ts reads process.env." },
      ],
    },
  },
  {
    files: ["lib/**/*.{ts,tsx,mts,js,mjs}"],
    ignores: ["lib/server/**"],
    rules: { "import/no-restricted-paths": ["error", serverBoundary] },
  },
  {
    files: ["lib/stats/**/*.ts", "lib/net/**/*.ts"],
    rules: { "no-restricted-imports": ["error", statsRestrictions] },
  },
  // No import cycle between modules of the product (type-only imports do not count: they vanish at
  // run time). Cycles between whole domains are checked by test/domains.test.ts.
  {
    files: ["lib/**/*.ts", "db/**/*.ts"],
    settings: { "import/ignore": ["node_modules"] },
    rules: { "import/no-cycle": ["error", { ignoreExternal: true }] },
  },
  {
    files: ["components/**/*.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/db/*", "@/lib/server/*", "drizzle-orm", "drizzle-orm/*"],
              message: "Components get plain DTOs as props.",
            },
          ],
        },
      ],
    },
  },
];
export default config;
