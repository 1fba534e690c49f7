// Every family of hostile input, sent to every API route (found on disk, so a new route is covered
// without editing this file): each answer must be a 4xx in the one error shape, never a 500 or an
// HTML page, and nothing may change.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, adminKey, call, errorCode } from "./client";

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof methods)[number];
type Route = { pattern: string; methods: Method[] };

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    return statSync(p).isDirectory() ? routeFiles(p) : f === "route.ts" ? [p] : [];
  });
}

// Routes and the methods each file exports (`export const GET = …`, `export { x as PUT }`, `export const { PUT } = …`).
const routes: Route[] = routeFiles(path.resolve("app/api"))
  .map((file) => {
    const text = readFileSync(file, "utf8");
    const pattern = "/" + path.relative(path.resolve("app"), path.dirname(file)).split(path.sep).join("/");
    // A route names what it supports in otherMethods(...); the methods it destructures from that are the JSON 405s.
    const declared = /otherMethods\(([^)]*)\)/.exec(text)?.[1];
    const exported = declared
      ? methods.filter((m) => declared.includes(`"${m}"`))
      : methods.filter((m) => new RegExp(`export (?:async function|const|function) ${m}\\b|as ${m}\\b`).test(text));
    return { pattern, methods: exported };
  })
  // next-auth's own endpoints and the catch-all are exercised separately.
  .filter((r) => !r.pattern.includes("[...nextauth]") && !r.pattern.includes("[...path]"));

const NUL = "\u0000";
const fill = (pattern: string, value: (param: string) => string) =>
  pattern.replace(/\[(?:\.\.\.)?(\w+)\]/g, (_, p: string) => value(p));
const good = (p: string) =>
  p === "name" ? "support-reply" : p === "version" ? "1" : p === "id" ? "00000000-0000-4000-8000-000000000000" : "x";
const hasParam = (r: Route) => /\[/.test(r.pattern);

const deepJson = "[".repeat(3000) + "]".repeat(3000);
const nulBody = {
  name: `a${NUL}b`,
  type: "text",
  template: `hi${NUL}`,
  description: NUL,
  tags: [NUL],
  environment: `production${NUL}`,
  version: 1,
  commitMessage: NUL,
  reason: NUL,
  message: NUL,
  comment: NUL,
  decision: "approve",
  scope: "runtime",
  content: { type: "text", template: NUL },
  prompt: `x${NUL}`,
  labels: [NUL],
  variables: { [NUL]: NUL },
  email: `a${NUL}@b.co`,
};
// Only the hostile fields: on a route that does not take them the body is simply incomplete (a 400).
const bigVersionBody = { version: 2147483648, fromVersion: 2147483648, baseVersion: 2147483648 };

// strict: the family is invalid on every route (4xx); otherwise a route that ignores the field may succeed.
type Case = { family: string; method: Method; path: string; body?: string; strict: boolean };

function cases(): Case[] {
  const out: Case[] = [];
  for (const r of routes) {
    for (const method of r.methods) {
      const ok = fill(r.pattern, good);
      const withBody = method !== "GET" && method !== "DELETE";
      if (hasParam(r)) {
        out.push({
          family: "malformed percent-encoding (%ZZ)",
          method,
          path: fill(r.pattern, () => "%ZZ"),
          strict: true,
        });
        out.push({
          family: "truncated UTF-8 escape (%E0%A4%A)",
          method,
          path: fill(r.pattern, () => "%E0%A4%A"),
          strict: true,
        });
        out.push({
          family: "NUL in a path parameter",
          method,
          path: fill(r.pattern, (p) => `${good(p)}%00x`),
          strict: true,
        });
      }
      if (r.pattern.includes("[version]"))
        out.push({
          family: "version above 2^31-1 in the path",
          method,
          path: fill(r.pattern, (p) => (p === "version" ? "2147483648" : good(p))),
          strict: true,
        });
      out.push({
        family: "NUL in query parameters",
        method,
        path: `${ok}?name=a%00b&environment=a%00b&search=a%00b&subject=a%00b&label=a%00b&tag=a%00b&folder=a%00b&objectType=a%00b&at=a%00b&prompt=a%00b`,
        strict: true,
      });
      out.push({
        family: "numbers above 2^31-1 in the query",
        method,
        path: `${ok}?name=support-reply&version=2147483648&against=2147483648&before=99999999999999999999999&limit=99999999999999&offset=99999999999999999999&lastEventId=99999999999999999999999`,
        strict: false,
      });
      if (withBody) {
        out.push({ family: "NUL in body strings", method, path: ok, body: JSON.stringify(nulBody), strict: true });
        out.push({
          family: "versions above 2^31-1 in the body",
          method,
          path: ok,
          body: JSON.stringify(bigVersionBody),
          strict: false,
        });
        out.push({
          family: "JSON nested 3,000 levels deep",
          method,
          path: ok,
          body: `{"name":"deep","type":"text","template":"x","config":{"a":${deepJson}},"content":${deepJson},"variables":${deepJson}}`,
          strict: true,
        });
      }
    }
  }
  return out;
}

async function auditSize(): Promise<number> {
  const r = await call("GET", "/api/v1/audit?limit=1");
  return r.body.data[0]?.id ?? 0;
}

describe("hostile input on every API route", () => {
  let lastAuditId = 0;
  beforeAll(async () => {
    lastAuditId = await auditSize();
  });

  it("finds the routes", () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.find((r) => r.pattern === "/api/v1/prompts/resolve")?.methods).toEqual(["GET", "POST"]);
  });

  it.each(cases().map((c) => [`${c.family}: ${c.method} ${c.path.slice(0, 90)}`, c] as const))(
    "%s",
    async (_label, c) => {
      const res = await fetch(baseUrl + c.path, {
        method: c.method,
        headers: { authorization: `Bearer ${adminKey}`, ...(c.body ? { "content-type": "application/json" } : {}) },
        body: c.body,
      });
      if (res.headers.get("content-type")?.startsWith("text/event-stream")) {
        await res.body?.cancel(); // an accepted SSE request never ends by itself
        expect(c.strict, "a strict family opened an event stream").toBe(false);
        return;
      }
      const text = await res.text();
      expect(res.status, `${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
      if (c.strict) expect(res.status, `${res.status} ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      if (res.status >= 400) {
        expect(res.headers.get("content-type")).toMatch(/^application\/json/);
        errorCode({ status: res.status, body: JSON.parse(text), headers: res.headers });
      }
    },
  );

  it("changed nothing", async () => {
    expect(await auditSize()).toBe(lastAuditId);
  });
});

// Routes that take a version number, with bodies valid but for it: the big number must be refused
// before it reaches PostgreSQL (an int column), never answered with a 500.
const big = 2147483648;
const versionCases: [string, string, unknown?][] = [
  ["GET", `/api/v1/prompts/support-reply/versions/${big}`],
  ["GET", `/api/v1/prompts/support-reply/versions/${big}/diff`],
  ["GET", `/api/v1/prompts/support-reply/versions/2/diff?against=${big}`],
  ["GET", `/api/v1/prompts/resolve?name=support-reply&version=${big}`],
  ["POST", "/api/v1/prompts/resolve", { name: "support-reply", version: big }],
  ["POST", "/api/v1/prompts/support-reply/deployments", { environment: "development", version: big }],
  ["POST", "/api/v1/prompts/support-reply/rollback", { environment: "development", version: big }],
  ["POST", "/api/v1/prompts/support-reply/reviews", { environment: "production", version: big }],
  ["POST", "/api/v1/prompts/support-reply/drafts", { name: "big", fromVersion: big }],
  ["POST", "/api/v1/prompts/support-reply/versions", { template: "x", baseVersion: big }],
  ["GET", `/api/public/v2/prompts/support-reply?version=${big}`],
  ["GET", "/api/v1/audit?before=99999999999999999999999"],
  ["GET", "/api/v1/prompts?offset=99999999999999999999"],
  ["GET", "/api/v1/prompts/support-reply/versions?limit=99999999999999999999"],
  ["GET", "/api/v1/events?lastEventId=99999999999999999999999"],
];

describe("numbers out of range where a route takes them", () => {
  it.each(versionCases)("%s %s → 4xx", async (method, p, body) => {
    const lastAuditId = await auditSize();
    const r = await call(method, p, { body });
    expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
    errorCode(r);
    expect(await auditSize()).toBe(lastAuditId);
  });
});

describe("unknown paths and unsupported methods", () => {
  it.each(["/api/v1/nope", "/api/nope", "/api/v1/prompts/support-reply/nope/deeper", "/api/public/v2/nope"])(
    "GET %s → JSON 404",
    async (p) => {
      const r = await call("GET", p);
      expect(r.status).toBe(404);
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      expect(errorCode(r)).toBe("not_found");
    },
  );

  it("every route answers the methods it does not support with a JSON 405 naming the allowed ones", async () => {
    for (const r of routes) {
      const path = fill(r.pattern, good);
      for (const m of methods.filter((x) => !r.methods.includes(x))) {
        const res = await call(m, path);
        expect(res.status, `${m} ${path}`).toBe(405);
        expect(errorCode(res)).toBe("method_not_allowed");
        const allow = res.headers.get("allow") ?? "";
        for (const x of r.methods) expect(allow, `${m} ${path}`).toContain(x);
      }
    }
  });
});
