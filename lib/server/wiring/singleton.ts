// One value per process. Next's module graphs (route handlers, server components, instrumentation),
// dev-mode reloads and Lectern's own server (gateway/main.ts, a bundle of its own) each load their own
// copy of a module, so a module-level `let` would exist several times; these live on globalThis under
// Symbol.for("lectern.<key>"), which every copy finds.

const slot = (key: string) => Symbol.for(`lectern.${key}`);
const store = () => globalThis as Record<symbol, unknown>;

/** The process's value for `key`, made by `init` the first time any copy of any module asks. */
export function processSingleton<T>(key: string, init: () => T): T {
  const s = store();
  const k = slot(key);
  if (!(k in s)) s[k] = init();
  return s[k] as T;
}

/**
 * The same for something started asynchronously (a database, a queue): every caller shares one start;
 * a start that fails is forgotten, so the next call tries again.
 */
export function processStart<T>(key: string, start: () => Promise<T>): Promise<T> {
  const s = store();
  const k = slot(key);
  const existing = s[k] as Promise<T> | undefined;
  if (existing) return existing;
  const started: Promise<T> = start().catch((e: unknown) => {
    if (s[k] === started) delete s[k];
    throw e;
  });
  s[k] = started;
  return started;
}
