// githubPerson against a local HTTP server standing in for GitHub's API: the address and whether GitHub
// verified it come from the account's address list.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { githubPerson, githubIssuer } from "./github-profile";

let server: Server;
let api = "";
const lists: Record<string, unknown> = {
  "token-a": [
    { email: "ann@old.example", primary: false, verified: true },
    { email: "ann@acme.example", primary: true, verified: true },
  ],
  "token-b": [{ email: "bob@acme.example", primary: true, verified: false }],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    const token = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (req.url !== "/user/emails" || !(token in lists)) return res.writeHead(401).end("{}");
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(lists[token]));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("githubPerson", () => {
  it("takes the primary address and GitHub's word that it is verified", async () => {
    expect(await githubPerson({ id: 42, login: "ann" }, { accessToken: "token-a", api })).toEqual({
      id: "42",
      issuer: githubIssuer,
      email: "ann@acme.example",
      name: "ann",
      emailVerified: true,
    });
    expect((await githubPerson({ id: 7, login: "bob" }, { accessToken: "token-b", api })).emailVerified).toBe(false);
  });

  it("the public address is checked against the list, not trusted", async () => {
    const p = await githubPerson({ id: 42, name: "Ann", email: "ann@old.example" }, { accessToken: "token-a", api });
    expect(p).toMatchObject({ email: "ann@old.example", name: "Ann", emailVerified: true });
    const unknown = await githubPerson({ id: 42, email: "ceo@acme.example" }, { accessToken: "token-a", api });
    expect(unknown).toMatchObject({ email: "ceo@acme.example", emailVerified: undefined });
  });

  it("without the list (a refused token), nothing is said verified", async () => {
    const p = await githubPerson({ id: 9, login: "eve", email: "eve@acme.example" }, { accessToken: "nope", api });
    expect(p).toMatchObject({ email: "eve@acme.example", emailVerified: undefined });
  });
});
