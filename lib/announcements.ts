// What a change announces once it commits: the registry and release modules publish `PromptChanged` to an
// `EventSink`; lib/runtime's bus turns it into cache invalidations and SSE messages. Every DomainContext
// (./context.ts) carries one; inside a transaction it is a `BufferedEvents`, flushed after the commit.
// Not metric events (lib/ingest) nor webhook event types (lib/webhooks/events.ts).

export type PromptChanged = {
  projectId: string;
  prompt: string;
  /** The environment whose live version changed, or null for "a new version exists". */
  environment: string | null;
  version: number;
  /** "reset": changes may have been missed (the shared store was unreachable); clients refetch everything. */
  action: "version" | "promote" | "rollback" | "auto_rollback" | "auto_promote" | "experiment" | "label" | "reset";
  /** A version label that moved (action "label"; `version` is where it points now, or pointed before its removal). */
  label?: string;
  /** The audit-log id of the change: increasing, shared by every instance, used as the SSE event id. */
  seq?: number;
};

export interface EventSink {
  publish(event: PromptChanged): Promise<void>;
  /** API keys were revoked: cached key lookups must be dropped everywhere. */
  keysChanged?(): Promise<void>;
}

/** A sink that drops everything: for callers that must announce nothing (tests, a scripted seed). */
export const noEvents: EventSink = { publish: async () => {} };

/** Holds events raised inside a transaction and publishes them only once it has committed. */
export class BufferedEvents implements EventSink {
  private pending: PromptChanged[] = [];
  async publish(e: PromptChanged) {
    this.pending.push(e);
  }
  /** The events held, in order, without publishing them (a caller that publishes them itself). */
  take(): PromptChanged[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }
  async flush(to: EventSink) {
    for (const e of this.take()) await to.publish(e);
  }
}
