// Runs once when a server starts: check settings, then migrate and bootstrap the database, so a bad
// setting or an unreachable database stops startup with a clear message instead of failing later.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startup } = await import("./lib/server/wiring/startup");
  await startup();
}
