// next-auth builds its own URLs from NEXTAUTH_URL; unset, it warns on the first request and assumes
// port 3000, so signing in on another port would send the browser to the wrong place. Next has set
// PORT to the port it listens on before it reads this file, so default to that.
if (!process.env.NEXTAUTH_URL && process.env.PORT) process.env.NEXTAUTH_URL = `http://localhost:${process.env.PORT}`;

import { readFileSync } from "node:fs";
import { SECURITY_HEADERS } from "./lib/security-headers.mjs";

// Server code loads these from node_modules rather than Next compiling them into the server code of every page
// and route, up to three times over (server components, their server rendering, route handlers): on two cores
// that compile was most of what `npm run dev` spent before a page first opened (docs/benchmarks.md, "A
// newcomer's first minutes"). None of them renders React. @stdlib's distributions (lib/stats) alone are a
// thousand small CommonJS modules.
const stdlib = Object.keys(
  JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")).dependencies,
).filter((name) => name.startsWith("@stdlib/"));
const loadedAtRunTime = [
  ...stdlib,
  "zod",
  "yaml",
  "drizzle-orm",
  "jose",
  "@opentelemetry/api",
  "ajv",
  "uuid",
  "nodemailer",
  "openid-client",
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM + data files that must be loaded from node_modules at run time, not bundled.
  // Ax (the optimizer's GEPA, lib/optimization) is a 1.2 MB bundle only the job's server code uses.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "pg-boss", "redis", "@ax-llm/ax", ...loadedAtRunTime],
  poweredByHeader: false,
  // A second build directory lets a production build run beside a dev server (tests, benchmarks).
  distDir: process.env.LECTERN_NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
  // `npm test` type-checks the whole project once with tsc (its `typecheck` tier) and builds with
  // LECTERN_BUILD_TYPECHECK=false, so the build does not check the same types a second time.
  typescript: { ignoreBuildErrors: process.env.LECTERN_BUILD_TYPECHECK === "false" },
  experimental: {
    // Turbopack keeps a cache under .next/cache that makes the next build on this machine faster; a CI
    // run builds once on a fresh clone, where writing it only costs time (34 s here).
    turbopackFileSystemCacheForBuild: process.env.CI !== "true",
  },
  // On every response; pages also get a per-request CSP from proxy.ts (it needs a nonce). A header set here
  // replaces the one a route sets, and of two rules setting one header the later wins: the skills URLs (whose
  // path may hold a key) keep the `no-referrer` their route sets (lib/server/http/skills-route.ts).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...SECURITY_HEADERS],
      },
      {
        source: "/api/v1/skills/:path*",
        headers: [{ key: "Referrer-Policy", value: "no-referrer" }],
      },
    ];
  },
};

export default nextConfig;
