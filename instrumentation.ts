// Runs once when a server starts: check settings, then migrate and bootstrap the database, so a bad
// setting or an unreachable database stops startup with a clear message instead of failing later.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startup, startupMeanwhile } = await import("./lib/server/wiring/startup");
  // In development Next waits for this before it compiles the first page; on a fresh clone the database takes
  // seconds to migrate and seed, so the sign-in page compiles meanwhile (scripts/dev-server.mjs prints the
  // address once both are done).
  if (process.env.NODE_ENV === "development") return startupMeanwhile();
  await startup();
}
