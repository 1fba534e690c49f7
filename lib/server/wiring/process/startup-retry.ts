// Startup reads the database before anything else (migrations, the installation row). Under load a
// first start failed twice with drizzle's "Failed query: select id from installation" and nothing
// more: the driver's reason is in `cause`. Transient failures (too many clients, the database still
// starting, a refused or dropped connection, the pool's connect timeout) are retried with backoff, and
// every failure is printed with its whole cause chain.

/** "message; caused by: message (code)" for an error and its causes (never query parameters). */
export function errorChain(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 6; depth++) {
    if (!(e instanceof Error)) {
      parts.push(String(e));
      break;
    }
    // Drizzle appends the parameters after the statement: never print them (they can hold secrets).
    const message = e.message.split("\nparams:")[0]!.trim();
    const code = (e as { code?: unknown }).code;
    parts.push(typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message);
    e = e.cause;
  }
  return parts.join("; caused by: ");
}

const transientCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "57P01", // admin_shutdown
  "57P03", // cannot_connect_now (starting up, in recovery)
  "53300", // too_many_connections
  "53400", // configuration_limit_exceeded
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection exceptions
]);
const transientMessages =
  /timeout exceeded when trying to connect|Connection terminated|connection .*closed|ECONNRESET/i;

/** Whether a startup failure may go away by itself (anywhere in the cause chain). */
export function isTransientStartupError(error: unknown): boolean {
  for (let e = error, depth = 0; e instanceof Error && depth < 6; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && transientCodes.has(code)) return true;
    if (transientMessages.test(e.message)) return true;
  }
  return false;
}

export async function withStartupRetries<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { log: (message: string) => void; sleep?: (ms: number) => Promise<void>; attempts?: number } = {
    log: (m) => console.error(`[lectern] ${m}`),
  },
): Promise<T> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // 0.5 + 1 + 2 + 4 + 8 + 8… s: about a minute over 10 attempts.
  const attempts = opts.attempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransientStartupError(e) || attempt >= attempts) throw e;
      const wait = Math.min(500 * 2 ** (attempt - 1), 8_000);
      opts.log(`${what} failed (attempt ${attempt}): ${errorChain(e)}; retrying in ${wait / 1000} s`);
      await sleep(wait);
    }
  }
}
