// MCP on two instances behind an ordinary round-robin balancer (no stickiness): the official SDK client lists and
// gets prompts whichever instance answers, hears list_changed after a promotion made on the instance that does not
// hold its stream, and a fleet of 30 clients on one key keeps working (none ended by another's arrival). Registered by
// cluster.cluster.test.ts, whose two instances share PostgreSQL and Redis. Both instances answer prompts/get on their
// own fast path, the session from their own copy (lib/server/http/mcp/mcp-local-sessions.ts): a session ended on one
// instance, or its key revoked there, is refused by the other within a second.
import http from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, freePort, type ServerProcess } from "./harness";
import { forwardRequest } from "../http-forward";
import { watchedStream } from "../mcp-stream";
import { quietFor } from "../waits";

type Cluster = { a: ServerProcess; b: ServerProcess; admin: string; runtimeKey: () => string };

/** A node:http balancer sending each request to the next instance in turn; it remembers who got each GET. */
async function roundRobin(targets: ServerProcess[]) {
  let next = 0;
  const counts = targets.map(() => 0);
  const streams: { session: string; at: ServerProcess }[] = [];
  const server = http.createServer((req, res) => {
    const i = next++ % targets.length;
    const at = targets[i]!;
    counts[i]!++;
    if (req.method === "GET") streams.push({ session: String(req.headers["mcp-session-id"]), at });
    forwardRequest(req, res, { host: "127.0.0.1", port: at.port, headers: req.headers });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    streams,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(r));
    },
  };
}

export function mcpAcrossInstances(cluster: () => Cluster) {
  describe("MCP on two instances behind a round-robin balancer", () => {
    let lb: Awaited<ReturnType<typeof roundRobin>>;
    const clients: Client[] = [];
    const opened = new Map<Client, () => Promise<void>>();
    const env = "mcp-cluster";

    async function connect() {
      const client = new Client({ name: "cluster-test", version: "1.0.0" });
      const stream = watchedStream();
      const transport = new StreamableHTTPClientTransport(new URL(`${lb.url}/api/mcp?environment=${env}`), {
        requestInit: { headers: { authorization: `Bearer ${cluster().runtimeKey()}` } },
        fetch: stream.fetch,
      });
      await client.connect(transport);
      opened.set(client, stream.opened);
      clients.push(client);
      return { client, session: transport.sessionId! };
    }

    beforeAll(async () => {
      const { a, admin } = cluster();
      lb = await roundRobin([a, cluster().b]);
      const must = async (r: ReturnType<typeof api>) => expect((await r).status).toBeLessThan(300);
      await must(api(a, "POST", "/api/v1/environments", admin, { name: env }));
      await must(
        api(a, "POST", "/api/v1/prompts", admin, {
          name: "mcp-cluster/greet",
          type: "text",
          description: "Greets someone",
          template: "Hello {{who}}",
          variables: [{ name: "who" }],
        }),
      );
      await must(api(a, "POST", "/api/v1/prompts/mcp-cluster%2Fgreet/versions", admin, { template: "Hi {{who}}" }));
      await must(
        api(a, "POST", "/api/v1/prompts/mcp-cluster%2Fgreet/deployments", admin, { environment: env, version: 1 }),
      );
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await lb?.close();
    });

    it("lists, gets and hears list_changed after a promotion made on the instance not holding its stream", async () => {
      const { client, session } = await connect();
      let told = 0;
      client.setNotificationHandler(PromptListChangedNotificationSchema, () => void told++);
      // Every request of the session so far went to one instance or the other, in turn.
      for (let i = 0; i < 3; i++) {
        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name)).toContain("mcp-cluster/greet");
        const got = await client.getPrompt({ name: "mcp-cluster/greet", arguments: { who: "Ana" } });
        expect(got.messages).toEqual([{ role: "user", content: { type: "text", text: "Hello Ana" } }]);
        expect(got._meta).toMatchObject({ "lectern.dev/version": 1, "lectern.dev/environment": env });
      }
      expect(lb.counts[0]).toBeGreaterThan(2);
      expect(lb.counts[1]).toBeGreaterThan(2);
      // The client opens its notification stream after initializing: wait until an instance has answered it.
      await opened.get(client)!();
      const holder = lb.streams.find((s) => s.session === session)!.at;
      const other = holder === cluster().a ? cluster().b : cluster().a;
      // A version nobody serves changes no list: no notification for it.
      const { admin } = cluster();
      expect(
        (await api(other, "POST", "/api/v1/prompts/mcp-cluster%2Fgreet/versions", admin, { template: "Hey {{who}}" }))
          .status,
      ).toBe(201);
      await quietFor("list_changed after a version nobody serves", () => told, 500);
      const promoted = await api(other, "POST", "/api/v1/prompts/mcp-cluster%2Fgreet/deployments", admin, {
        environment: env,
        version: 2,
      });
      expect(promoted.status).toBe(201);
      await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
      const got = await client.getPrompt({ name: "mcp-cluster/greet", arguments: { who: "Bo" } });
      expect(got.messages[0]!.content).toEqual({ type: "text", text: "Hi Bo" });
      expect(got._meta).toMatchObject({ "lectern.dev/version": 2 });
    });

    /** A raw session on instance `at` with a new key: its key's id and secret, and a prompts/get on any instance. */
    async function rawSession() {
      const { a, admin } = cluster();
      const key = (await api(a, "POST", "/api/v1/api-keys", admin, { name: "mcp-revoke", scope: "runtime" })).body;
      const headers = {
        authorization: `Bearer ${key.key}`,
        accept: "application/json, text/event-stream",
        "content-type": "application/json",
        "mcp-protocol-version": "2025-11-25",
      };
      const message = (method: string, params: unknown) => JSON.stringify({ jsonrpc: "2.0", id: 1, method, params });
      const init = await fetch(`${a.url}/api/mcp?environment=${env}`, {
        method: "POST",
        headers,
        body: message("initialize", {
          protocolVersion: "2025-11-25",
          capabilities: {},
          clientInfo: { name: "r", version: "1" },
        }),
      });
      expect(init.status).toBe(200);
      const session = init.headers.get("mcp-session-id")!;
      const get = async (at: ServerProcess) =>
        (
          await fetch(`${at.url}/api/mcp`, {
            method: "POST",
            headers: { ...headers, "mcp-session-id": session },
            body: message("prompts/get", { name: "mcp-cluster/greet", arguments: { who: "Ana" } }),
          })
        ).status;
      // Used on both instances: each holds its copy of the session.
      for (const at of [a, cluster().b, a, cluster().b]) expect(await get(at)).toBe(200);
      return { key, session, headers, get };
    }

    /** Milliseconds until `get` on `at` answers `status` (polled every 20 ms, for at most 5 s). */
    async function refusedWithin(get: () => Promise<number>, status: number) {
      const t0 = performance.now();
      await expect.poll(get, { timeout: 5000, interval: 20 }).toBe(status);
      return performance.now() - t0;
    }

    it("refuses a revoked key's session on the other instance within a second", async () => {
      const { a, b, admin } = cluster();
      const { key, get } = await rawSession();
      expect((await api(a, "DELETE", `/api/v1/api-keys/${key.id}`, admin)).status).toBe(200);
      expect(await get(a)).toBe(401);
      expect(await refusedWithin(() => get(b), 401)).toBeLessThan(1000);
    });

    it("refuses a session ended (DELETE) on one instance on the other within a second, saying why", async () => {
      const { a, b } = cluster();
      const { session, headers, get } = await rawSession();
      const ended = await fetch(`${a.url}/api/mcp`, {
        method: "DELETE",
        headers: { ...headers, "mcp-session-id": session },
      });
      expect(ended.status).toBe(200);
      expect(await refusedWithin(() => get(b), 404)).toBeLessThan(1000);
      const r = await fetch(`${b.url}/api/mcp`, {
        method: "POST",
        headers: { ...headers, "mcp-session-id": session },
        body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
      });
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/its client ended it/);
    });

    it("keeps a fleet of 30 clients on one key working across instances: none is ended by another's arrival", async () => {
      // Past the old cap of 20 (which ended the least recently used session): the cap is 100, and only an idle
      // session would end for a newcomer.
      const fleet = [];
      for (let i = 0; i < 30; i++) fleet.push(await connect());
      for (let round = 0; round < 2; round++)
        for (const { client } of fleet)
          expect((await client.listPrompts()).prompts.map((p) => p.name)).toContain("mcp-cluster/greet");
    });
  });
}
