// The PromptLayer-compatible surface's own record: the requests a PromptLayer client logs (logRequest,
// track-request), by the integer id PromptLayer's clients pass back to track.score / metadata / prompt.
// A request tied to a prompt version becomes one generation metric event (event_id), the way
// POST /api/v1/events records one; until then (a request logged before track.prompt names its prompt) its
// facts wait here. Rows go with the raw events' retention (lib/ingest/retention.ts).
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ownedBy, writtenAt } from "./columns";
import { projects } from "./projects";
import { prompts } from "./prompts";

export const promptlayerRequests = pgTable(
  "promptlayer_requests",
  {
    /** PromptLayer's request_id: an integer its clients send back. */
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    projectId: ownedBy(() => projects.id),
    /** The prompt and version the request ran, once known (null until track.prompt names them). */
    promptId: uuid().references(() => prompts.id, { onDelete: "cascade" }),
    version: integer(),
    /** The environment the generation counts for, once known. */
    environment: text(),
    /** What the generation event carries (latency, tokens, cost, model, input, output), metadata and tags. */
    facts: jsonb().$type<Record<string, unknown>>().notNull(),
    /** The generation metric event's id, once recorded. */
    eventId: text(),
    createdAt: writtenAt(),
  },
  (t) => [
    index().on(t.projectId, t.createdAt),
    // A prompt comes with its version; an event is recorded only for a request that names both.
    check("promptlayer_requests_version", sql`(${t.promptId} is null) = (${t.version} is null)`),
    check("promptlayer_requests_event", sql`${t.eventId} is null or ${t.promptId} is not null`),
  ],
);
