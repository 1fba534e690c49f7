import "server-only";
import { parseEnv, type Config } from "./parse-env";

// The only place that reads process.env (CONTRIBUTING.md, "Settings are read in one place"). Parsed once, on first use;
// startup (instrumentation.ts) calls it first so a bad setting stops the server with one line per problem.
let cached: Config | undefined;

export function env(): Config {
  if (!cached) cached = parseEnv(process.env);
  return cached;
}
