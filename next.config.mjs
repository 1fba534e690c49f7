/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM + data files that must be loaded from node_modules at run time, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "redis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
