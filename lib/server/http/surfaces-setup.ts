// The process the surfaces table tests (release-, review-, rollout-surfaces;
// docs/decisions/one-answer-per-operation.md) stand in for: the route handlers open its database, settings, event sink
// and session through lib/server/wiring, and each test file mocks those four modules with `wiring` below (vi.mock stays
// in the test file, where it is hoisted):
//   vi.mock("../wiring/db", () => wiring.db);  …env, …events, …session likewise.
// Here, the file's database, settings that check every answer against its schema, a recording sink and the member
// signed in. setUpSurfaces() seeds a project with an admin key and a runtime key; the bindings below are live.
import { afterAll, beforeAll } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import type { EventSink } from "@/lib/announcements";
import * as fixtures from "../../../test/domain-fixtures";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { parseEnv } from "../wiring/parse-env";
import type { SessionUser } from "../wiring/session";

export let t: TestDatabase;
export let f: fixtures.Fixture;
export const keys = { admin: "", runtime: "" };
/** What the sink was sent, one "prompt environment vN" an event. */
export const published: string[] = [];
let signedIn: SessionUser | null = null;

/** The member the UI's server actions run as, from now on. */
export function signIn(member: { id: string; label: string }) {
  signedIn = { id: member.id, email: member.label, name: member.label };
}

/** REST's Authorization header: the admin key for a member, the runtime key for the viewer. */
export const bearer = (who: "member" | "viewer") => `Bearer ${who === "viewer" ? keys.runtime : keys.admin}`;

const settings = { ...parseEnv({ LECTERN_LOG_LEVEL: "error" }), LECTERN_CHECK_RESPONSES: true };
const sink: EventSink = { publish: async (e) => void published.push(`${e.prompt} ${e.environment} v${e.version}`) };
export const wiring = {
  db: { getDb: async () => t.db, readyDb: () => t.db },
  env: { env: () => settings },
  events: { getEvents: async () => sink },
  session: { currentUser: async () => signedIn },
};

/** A database with the project `slug` and its two keys; `more` runs after, in the same beforeAll. */
export function setUpSurfaces(slug: string, more?: () => Promise<void>) {
  beforeAll(async () => {
    t = await createTestDatabase();
    f = await fixtures.seedProject(t.db, slug);
    for (const scope of ["admin", "runtime"] as const)
      keys[scope] = (await createApiKey(f.ctx(f.admin), { name: scope, scope })).key;
    await more?.();
  });
  afterAll(async () => t.drop());
}
