import "server-only";
import type { EventStream } from "./event-stream";

// An answer written in parts as the client reads it (batch resolve): the next part is made only when the client
// has read what it was sent (backpressure), so a reader that stops reading holds one part in memory, not the
// answer, and is cut off after `idleMs` without reading. A failure while making a part cuts the connection, so
// the client never takes half an answer for a whole one. `beforePart` lets the caller put each write in its own
// turn (batch resolve's WorkLane), `onDone` is called once however the answer ends (its slot is given back).

/** How long a client may leave a part of an answer unread before it is cut off. */
export const ANSWER_IDLE_MS = 30_000;

export function partsStream(
  parts: AsyncIterator<string, void>,
  opts: {
    idleMs?: number;
    onPart?: (bytes: number) => void;
    beforePart?: () => Promise<void>;
    onDone?: () => void;
  } = {},
): EventStream {
  let closed = false;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    opts.onDone?.();
  };
  const idleMs = opts.idleMs ?? ANSWER_IDLE_MS;
  return {
    finite: true,
    close() {
      closed = true;
      finish();
    },
    open(sink) {
      const run = async () => {
        for (;;) {
          const next = await parts.next();
          if (closed) return sink.abort();
          if (next.done) return sink.end();
          if (opts.beforePart) {
            await opts.beforePart();
            if (closed) return sink.abort();
          }
          opts.onPart?.(Buffer.byteLength(next.value));
          if (sink.write(next.value)) continue;
          let timer: NodeJS.Timeout | undefined;
          const idle = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), idleMs)));
          const drained = await Promise.race([sink.drain(), idle]);
          clearTimeout(timer);
          if (!drained || closed) return sink.abort();
        }
      };
      run()
        .catch(() => sink.abort())
        .finally(finish);
    },
  };
}
