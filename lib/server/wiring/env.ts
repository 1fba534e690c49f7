import "server-only";
import { parseEnv, type Config } from "./parse-env";

// The only place that reads process.env (CONTRIBUTING.md, "Settings are read in one place"). Parsed once, on first use;
// startup (instrumentation.ts) calls it first so a bad setting stops the server with one line per problem.
let cached: Config | undefined;

export function env(): Config {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}

/** Where this Lectern is reached: NEXTAUTH_URL, else this machine at the port it listens on (docs/configuration.md). */
export const publicUrl = (c: Config = env()): string =>
  (c.NEXTAUTH_URL ?? `http://localhost:${c.PORT}`).replace(/\/+$/, "");
