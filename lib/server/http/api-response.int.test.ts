// The API wrapper's response check against a real database and API key: with LECTERN_CHECK_RESPONSES on,
// an answer that breaks the route's response schema becomes a 500 whose log line names the route and the
// field; with it off, or for an answer that fits, the answer goes out as the handler made it.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createApiKey } from "../../auth/api-keys";
import { createProject } from "../../auth/projects";
import { AppError } from "../../errors";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { parseEnv } from "../wiring/parse-env";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

// The wrapper opens the process's database through wiring/db: here, this file's test database.
let t: TestDatabase;
vi.mock("../wiring/db", () => ({ getDb: async () => t.db, readyDb: () => t.db }));
// Settings as the server would parse them, with the one under test switched per test.
const settings = { ...parseEnv({ LECTERN_LOG_LEVEL: "error" }), LECTERN_CHECK_RESPONSES: false };
vi.mock("../wiring/env", () => ({ env: () => settings }));

// The wrapper hands handlers an event sink; these handlers announce nothing.
vi.mock("../wiring/events-wiring", () => ({ getEvents: async () => ({ publish: async () => {} }) }));

const { json, routeOf, route } = await import("./api");

let key: string;
beforeAll(async () => {
  t = await createTestDatabase();
  const system = { type: "system", label: "test" } as const;
  const project = await createProject(t.db, { slug: "answers", name: "Answers" }, system);
  key = (await createApiKey(projectContext(t.db, system, project.id, noEvents), { name: "admin", scope: "admin" })).key;
});
afterAll(async () => t.drop());

const response = z.object({ name: z.string(), count: z.number().int() });

async function call(answer: () => Promise<Response>, check: boolean) {
  settings.LECTERN_CHECK_RESPONSES = check;
  const declared = { method: "GET", path: "/api/v1/things/{name}/parts/{part}", summary: "A thing's part" } as const;
  const handler = route({ ...declared, scope: "admin", response }, answer);
  const req = new NextRequest("http://localhost/api/v1/things/a%2Fb/parts/7", {
    headers: { authorization: `Bearer ${key}` },
  });
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    const res = await handler(req, { params: Promise.resolve({ name: "a/b", part: "7" }) });
    return { status: res.status, body: await res.json(), log: logged.mock.calls.map((c) => c.join(" ")).join("\n") };
  } finally {
    logged.mockRestore();
  }
}

describe("response schemas through the wrapper", () => {
  const broken = async () => json({ name: "x", count: "3" });

  it("with the setting on, an answer that breaks its schema is a 500 naming the route and field in the log", async () => {
    const r = await call(broken, true);
    expect(r.status).toBe(500);
    expect(r.body.error).toMatchObject({ code: "internal", details: { ref: expect.any(String) } });
    expect(r.body.error.message).not.toContain("count");
    expect(r.log).toContain("GET /api/v1/things/{name}/parts/{part} answered what its response schema refuses");
    expect(r.log).toContain("count: Invalid input: expected number, received string");
  });

  it("with the setting off, the same answer goes out unchecked", async () => {
    const r = await call(broken, false);
    expect(r).toEqual({ status: 200, body: { name: "x", count: "3" }, log: "" });
  });

  it("an answer that fits, and an error answer, go out as they are with the setting on", async () => {
    expect(await call(async () => json({ name: "x", count: 3, more: true }, 201), true)).toEqual({
      status: 201,
      body: { name: "x", count: 3, more: true },
      log: "",
    });
    const missing = await call(async () => {
      throw new AppError("not_found", "No such thing.");
    }, true);
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: "not_found", message: "No such thing." });
  });
});

describe("routeOf", () => {
  it("names each parameter at its whole segment, from the last one back", () => {
    expect(routeOf("/api/v1/prompts/v1/versions/2", { name: "v1", version: "2" })).toBe(
      "/api/v1/prompts/{name}/versions/{version}",
    );
    expect(routeOf("/api/v1/prompts/a%2Fb", { name: "a/b" })).toBe("/api/v1/prompts/{name}");
    expect(routeOf("/api/v1/things/a/b/c", { path: "a/b/c" })).toBe("/api/v1/things/{path}");
  });
});
