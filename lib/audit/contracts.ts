// The shape the audit log keeps in jsonb (db/schema/audit.ts types its columns with it). Types only: the
// schema imports this file, so it must not import anything that reaches the database at run time.

/** What an object was before and after a change, as the action recorded it (redacted, lib/audit/redact.ts). */
export type AuditState = Record<string, unknown>;
