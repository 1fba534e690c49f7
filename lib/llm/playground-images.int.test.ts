// The playground on a chat prompt with an image part and an image variable, through stored connections
// and the resolver: the scripted model receives both images' bytes; image URLs follow the project
// connections' address rule (LECTERN_CONNECTIONS_ALLOW_PRIVATE) on every connection, the server's
// fallback (whose own endpoint may be anywhere) included.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { dataUrlOf, imageHostCa, jpegBytes, startImageHost, tinyPng, type ImageHost } from "../../test/image-host";
import { loopbackOnly, recordingClock } from "../../test/llm-caller";
import { sha256Hex } from "../../test/llm-server";
import { runPromptPlayground } from "../evaluation/playground";
import { createPrompt } from "../registry/prompts";
import { createConnection } from "./connections";
import { key, local, server, setUpConnections, t } from "./connections.fixture";
import { createCallerResolver } from "./resolver";
import type { PrivatePolicy } from "../net/ssrf";

setUpConnections();
let host: ImageHost;
let p: Fixture;
beforeAll(async () => {
  host = await startImageHost();
  host.serve("/logo.png", { body: tinyPng, headers: { "content-type": "image/png" } });
  p = await seedProject(t.db, `play-img-${randomBytes(3).toString("hex")}`);
  await createPrompt(p.ctx(p.editor), {
    name: "describe",
    type: "chat",
    template: [
      {
        role: "user",
        content: [
          { type: "text", text: "What do {{who}} see?" },
          { type: "image", url: `${host.url}/logo.png` },
          { type: "image", variable: "photo" },
        ],
      },
    ],
    variables: [{ name: "who" }, { name: "photo", type: "image" }],
    config: { model: "scripted-model" },
  });
});
afterAll(async () => {
  await host.stop();
});

const resolverWith = (allowPrivate: PrivatePolicy) =>
  createCallerResolver({
    encryptionKey: () => key,
    allowPrivate,
    maxResponseBytes: 1 << 20,
    images: { ca: imageHostCa },
    // The operator's own endpoint: the local model server.
    fallback: () => ({ provider: "openai-compatible", baseUrl: server().baseUrl, defaultModel: "scripted-model" }),
    callerOptions: { clock: recordingClock(), random: () => 0.5 },
  });

const photo = dataUrlOf(jpegBytes, "image/jpeg");
const play = (resolver: ReturnType<typeof resolverWith>) =>
  runPromptPlayground(p.ctx(p.editor), "describe", { version: 1, variables: { who: "we", photo } }, resolver);

describe("the playground with images", () => {
  it("sends both images through a project connection allowed to reach the image host", async () => {
    const resolver = resolverWith(loopbackOnly());
    await createConnection(p.ctx(p.admin), local({ name: "Local", isDefault: true }), key, {
      allowPrivate: loopbackOnly(),
    });
    const r = await play(resolver);
    expect(r.error).toBeNull();
    expect(server().requests.at(-1)!.images).toEqual([
      { message: 0, part: 1, mediaType: "image/png", byteLength: tinyPng.length, sha256: sha256Hex(tinyPng) },
      { message: 0, part: 2, mediaType: "image/jpeg", byteLength: jpegBytes.length, sha256: sha256Hex(jpegBytes) },
    ]);
    // The playground shows the rendered messages: the image variable's value put in its part.
    expect(r.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What do we see?" },
          { type: "image", url: `${host.url}/logo.png` },
          { type: "image", url: photo },
        ],
      },
    ]);
    const audits = await queryRows<{ after: unknown }>(
      t.db,
      sql`select after from audit_log where action = 'playground.run' and project_id = ${p.projectId}`,
    );
    expect(JSON.stringify(audits)).not.toContain("base64");
    await t.db.execute(sql`delete from model_connections where project_id = ${p.projectId}`);
  });

  it("refuses the image host on the server's fallback connection when projects may not reach it", async () => {
    server().reset();
    const r = await play(resolverWith(false));
    expect(r.connection.id).toBe("default");
    expect(r.error).toMatchObject({ kind: "refused", retryable: false });
    expect(r.error!.message).toContain("messages[0].content[1]");
    expect(r.error!.message).toContain("127.0.0.1 is a loopback address");
    expect(server().requests).toHaveLength(0);
  });
});
