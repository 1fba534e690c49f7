import "server-only";
import { processSingleton } from "../singleton";

// What must happen before the process exits (the job queue hands unfinished jobs back). Kept on
// globalThis: the production server (gateway/main.ts, its own bundle) and Next's module graphs each
// have their own copy of this module, and all of them must see one list.
type Hooks = { hooks: (() => Promise<void>)[]; running?: Promise<void> };
const state = () => processSingleton("shutdownHooks", (): Hooks => ({ hooks: [] }));

export function onShutdown(hook: () => Promise<void>): void {
  state().hooks.push(hook);
}

/** Runs every hook once (in parallel), waiting at most `timeoutMs`. Safe to call more than once. */
export function runShutdownHooks(timeoutMs = 9_000): Promise<void> {
  const s = state();
  s.running ??= (async () => {
    const hooks = s.hooks.splice(0);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.allSettled(hooks.map((h) => h())), limit]);
    clearTimeout(timer);
  })();
  return s.running;
}
