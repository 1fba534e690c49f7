// What the registry and release modules announce after a change commits. lib/runtime turns these
// into cache invalidations and SSE messages; the domain only needs something to publish to.

export type PromptChanged = {
  projectId: string;
  prompt: string;
  /** The environment whose live version changed, or null for "a new version exists". */
  environment: string | null;
  version: number;
  /** "reset": changes may have been missed (the shared store was unreachable); clients refetch everything. */
  action: "version" | "promote" | "rollback" | "auto_rollback" | "auto_promote" | "experiment" | "reset";
  /** The audit-log id of the change: increasing, shared by every instance, used as the SSE event id. */
  seq?: number;
};

export interface EventSink {
  publish(event: PromptChanged): Promise<void>;
  /** API keys were revoked: cached key lookups must be dropped everywhere. */
  keysChanged?(): Promise<void>;
}

export const noEvents: EventSink = { publish: async () => {} };
