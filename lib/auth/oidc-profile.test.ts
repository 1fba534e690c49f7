// The OpenID Connect person: ID token claims first, the userinfo endpoint (a real local HTTP server)
// when the ID token has no email, and never the userinfo of another subject.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oidcPerson } from "./oidc-profile";

let server: Server;
let base = "";
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ""}`);
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration")
      return res.end(JSON.stringify({ userinfo_endpoint: `${base}/me` }));
    const token = req.headers.authorization?.replace("Bearer ", "");
    if (token === "ann-token")
      return res.end(JSON.stringify({ sub: "ann", email: "ann@sso.test", email_verified: true }));
    if (token === "other-token") return res.end(JSON.stringify({ sub: "mallory", email: "mallory@sso.test" }));
    if (token === "huge-token") {
      // A userinfo answer that never ends.
      res.write(`{"sub":"ann","pad":"`);
      const pump = () => {
        while (!res.destroyed) if (!res.write("x".repeat(65536))) return void res.once("drain", pump);
      };
      res.on("error", () => {});
      return pump();
    }
    res.statusCode = 401;
    res.end("{}");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const wellKnown = () => `${base}/.well-known/openid-configuration`;

describe("oidcPerson", () => {
  it("takes the ID token's email without asking the provider", async () => {
    seen.length = 0;
    const p = await oidcPerson(
      { sub: "bob", iss: "https://idp.sso.test", email: "bob@sso.test", name: "Bob", email_verified: false },
      { accessToken: "x", wellKnown: wellKnown() },
    );
    expect(p).toEqual({
      id: "bob",
      issuer: "https://idp.sso.test",
      email: "bob@sso.test",
      name: "Bob",
      emailVerified: false,
    });
    expect(seen).toEqual([]);
  });

  it("asks the userinfo endpoint when the ID token has no email", async () => {
    const p = await oidcPerson({ sub: "ann" }, { accessToken: "ann-token", wellKnown: wellKnown() });
    expect(p).toEqual({ id: "ann", issuer: null, email: "ann@sso.test", name: "ann@sso.test", emailVerified: true });
    expect(seen.at(-1)).toBe("/me Bearer ann-token");
  });

  it("ignores a userinfo answer about another subject, or a refused one", async () => {
    expect((await oidcPerson({ sub: "ann" }, { accessToken: "other-token", wellKnown: wellKnown() })).email).toBeNull();
    expect((await oidcPerson({ sub: "ann" }, { accessToken: "expired", wellKnown: wellKnown() })).email).toBeNull();
  });

  it("refuses a provider's answer larger than 1 MiB without reading it to its end", async () => {
    await expect(
      oidcPerson({ sub: "ann" }, { accessToken: "huge-token", wellKnown: wellKnown(), timeoutMs: 30_000 }),
    ).rejects.toThrow(/userinfo answer is larger than 1048576 bytes/);
  });
});
