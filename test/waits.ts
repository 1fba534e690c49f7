// How a test waits (docs/testing.md, "Tests own time"): for the state it needs, polled, with a deadline whose
// error names what it waited for; never a fixed sleep followed by an assertion (test/no-sleeps.test.ts).

/** Polls until `check` returns a truthy value (or throws after a generous deadline: this is not a timing assertion). */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 45_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Asserts that nothing happens for `ms`: `read` is polled and must keep the value it had at the start. The one
 * honest use of a time bound in a test — an absence cannot be waited for — and it fails the moment the value moves.
 */
export async function quietFor<T>(what: string, read: () => T, ms: number): Promise<void> {
  const first = JSON.stringify(read());
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, 25));
    const now = JSON.stringify(read());
    if (now !== first) throw new Error(`${what}: expected no change for ${ms} ms, but ${first} became ${now}`);
  }
}

/** Waits until the wall clock has passed `instant` (an ISO time or epoch ms), so the next write is stamped later. */
export async function pastInstant(instant: string | number): Promise<void> {
  const t = typeof instant === "number" ? instant : Date.parse(instant);
  while (Date.now() <= t) await new Promise((r) => setTimeout(r, 1));
}
