// Runs once when a server starts: check settings, then migrate and bootstrap the database, so a bad
// setting or an unreachable database stops startup with a clear message instead of failing later.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // `npm run dev` starts Lectern before Next compiles anything, from a bundle of its own
  // (scripts/dev-server.mjs); here Next would wait for a compile of all of lib/ before its first page. The
  // condition is known when Next compiles this file, so in development the import below is not compiled.
  if (process.env.NODE_ENV !== "development") {
    const { startup } = await import("./lib/server/wiring/process/startup");
    await startup();
  }
}
