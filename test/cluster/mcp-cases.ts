// MCP on two instances behind an ordinary round-robin balancer (no stickiness): the official SDK client lists and
// gets prompts whichever instance answers, hears list_changed after a promotion made on the instance that does not
// hold its stream, and a fleet of 30 clients on one key keeps working (none ended by another's arrival). Registered by
// cluster.cluster.test.ts, whose two instances share PostgreSQL and Redis.
import http from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, freePort, type ServerProcess } from "./harness";
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
    const forward = http.request(
      { host: "127.0.0.1", port: at.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    res.on("close", () => forward.destroy());
    req.pipe(forward);
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
