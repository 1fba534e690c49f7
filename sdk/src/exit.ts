// Events still queued when a Node process ends. Node emits `beforeExit` when its event loop has nothing left
// to do: the handler starts the sends, whose sockets keep the process alive until they are answered, and
// Node emits it again afterwards (each queue gets `maxExitAttempts` sends, so an unreachable server does not
// hold the process forever). `process.exit()`, a fatal error and signals skip `beforeExit`; at `exit` no I/O
// can start, so what is still queued is reported to onError, never dropped without a word. Only clients
// with something queued are held here, and one pair of listeners serves every client (no listener per
// client, nothing kept alive after close()). Edge runtimes have no process events: nothing is installed.

export interface ExitQueue {
  /** Events queued and not yet acknowledged. */
  pending(): number;
  /** Sends what is queued; never rejects. */
  flush(): Promise<void>;
  /** Reports a problem to the client's onError. */
  report(message: string): void;
}

type NodeProcess = { on?: (event: string, listener: () => void) => unknown };

const maxExitAttempts = 2;
/** Queues holding events, and how many sends each got since the process started to end. */
const waiting = new Map<ExitQueue, number>();
let installed = false;

function install(): void {
  if (installed) return;
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof proc?.on !== "function") return;
  installed = true;
  proc.on("beforeExit", sendAtExit);
  proc.on("exit", reportLost);
}

function sendAtExit(): void {
  for (const [queue, tries] of waiting) {
    const n = queue.pending();
    if (n === 0) waiting.delete(queue);
    else if (tries >= maxExitAttempts) {
      waiting.delete(queue);
      queue.report(`${n} event(s) were not sent before the process ended: Lectern did not accept them (see above)`);
    } else {
      waiting.set(queue, tries + 1);
      void queue.flush();
    }
  }
}

function reportLost(): void {
  for (const queue of waiting.keys()) {
    const n = queue.pending();
    if (n > 0)
      queue.report(
        `${n} event(s) were not sent: the process exited first (process.exit() skips the send at exit; await lectern.close() or lectern.flush() before it)`,
      );
  }
  waiting.clear();
}

/** The queue holds events: send them when the process ends by itself. */
export function holdsEvents(queue: ExitQueue): void {
  install();
  if (!waiting.has(queue)) waiting.set(queue, 0);
}

/** The queue is empty (everything acknowledged or given up on). */
export function drained(queue: ExitQueue): void {
  waiting.delete(queue);
}

/** For tests: how many queues are held. */
export const heldQueues = (): number => waiting.size;
