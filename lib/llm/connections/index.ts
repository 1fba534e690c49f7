// Model connections per project (admin): create (the key is encrypted at once and never returned,
// only a mask like "…abcd"), list, update, delete. Every change bumps updated_at, which is what
// cached callers (resolver.ts) compare to know they are stale, on this instance or any other.
// One use-case per file; this index keeps the import path callers use.
export { createConnectionInput, updateConnectionInput, MAX_CONNECTIONS_PER_PROJECT } from "./connection-input";
export {
  connectionFromRow,
  connectionListResponse,
  connectionSummary,
  connectionSummarySchema,
  deletedConnectionResponse,
  type CachedCallers,
  type ConnectionRow,
  type ConnectionSummary,
} from "./rows";
export type { ConnectionPolicy } from "./checks";
export { createConnection } from "./create";
export {
  assertProjectConnections,
  connectionChoices,
  defaultConnectionScorers,
  getConnection,
  listConnections,
  scorerConnections,
  type ConnectionChoice,
} from "./lookup";
export { updateConnection } from "./update";
export { deleteConnection } from "./delete";
