/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM + data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "redis"],
  poweredByHeader: false,
  // A second build directory lets a production build run beside a dev server (tests, benchmarks).
  distDir: process.env.LECTERN_NEXT_DIST_DIR || ".next",
  reactStrictMode: true,
};

export default nextConfig;
