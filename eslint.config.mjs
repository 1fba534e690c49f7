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
    {
      group: ["@/lib/server/*", "../server/*", "../../lib/server/*"],
      message: "Domain code must not import lib/server; receive what it needs as arguments.",
    },
    { group: ["@/app/*", "@/components/*"], message: "lib/ must not import from app/ or components/." },
  ],
};

// lib/stats is the leaf every domain builds on (statistics, hashing, seeded randomness): it imports npm
// packages and its own modules only, so no cycle can run through it (issue 24 §4).
const statsRestrictions = {
  patterns: [
    ...domainRestrictions.patterns,
    {
      group: ["../*", "@/*"],
      message: "lib/stats is a leaf: import only ./ modules and npm packages, never another lib domain or db.",
    },
  ],
};

const config = [
  {
    ignores: [
      ".next/**",
      ".next-*/**",
      "public/monaco/**",
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
        { object: "process", property: "env", message: "Only lib/server/env.ts reads process.env." },
      ],
    },
  },
  {
    files: ["lib/stats/**/*.ts"],
    rules: { "no-restricted-imports": ["error", statsRestrictions] },
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
