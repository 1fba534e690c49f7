// Sign-in, sessions, redirects and headers through real HTTP, as a browser would see them.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./browser";
import { baseUrl, call } from "./client";

const adminEmail = process.env.LECTERN_TEST_ADMIN_EMAIL ?? "";
const adminPassword = process.env.LECTERN_TEST_ADMIN_PASSWORD ?? "";

// The bootstrap project, whose admin the test server creates.
let slug = "";
beforeAll(async () => {
  slug = (await call("GET", "/api/v1/project")).body.slug;
});

const signedIn = (res: Response) => res.status === 200;
const sentToLogin = (res: Response) =>
  res.status >= 300 && res.status < 400 && (res.headers.get("location") ?? "").includes("/login");

describe("sessions end on the server, not when the cookie expires", () => {
  it("after signing out, a copy of the old session cookie no longer works", async () => {
    const b = new Browser();
    const r = await b.signIn(adminEmail, adminPassword);
    expect(r.body.url).toBeDefined();
    expect(signedIn(await b.fetch(`/${slug}/prompts`))).toBe(true);
    const stolen = b.sessionCookie()!;
    await b.signOut();
    const thief = new Browser();
    thief.cookies.set(stolen[0], stolen[1]);
    expect(sentToLogin(await thief.fetch(`/${slug}/prompts`))).toBe(true);
  });

  it("a session cookie this server did not sign is refused", async () => {
    const b = new Browser();
    b.cookies.set("next-auth.session-token", "forged");
    expect(sentToLogin(await b.fetch(`/${slug}/prompts`))).toBe(true);
  });
});

describe("sign-in limits", () => {
  it("X-Forwarded-For hops written before the last trusted proxy cannot dodge the per-address limit", async () => {
    const attacker = "203.0.113.77";
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      const b = new Browser(`10.${i}.0.1, ${attacker}`); // the leftmost hop is the attacker's own invention
      const r = await b.signIn(`nobody-${randomBytes(3).toString("hex")}@example.com`, "wrong-password");
      results.push(JSON.stringify(r.body));
    }
    const limited = results.filter((x) => x.includes("Too%20many"));
    expect(limited.length).toBeGreaterThanOrEqual(2);
    // Another address is not affected.
    const other = await new Browser("203.0.113.78").signIn(adminEmail, adminPassword);
    expect(other.body.url).toBeDefined();
  });

  it("a client cannot set its own peer address", async () => {
    const results: string[] = [];
    for (let i = 0; i < 7; i++) {
      const b = new Browser("203.0.113.90", { "x-lectern-peer": `192.0.2.${i}` });
      const s = await b.signIn(`x-${i}-${randomBytes(3).toString("hex")}@example.com`, "wrong-password");
      results.push(JSON.stringify(s.body));
    }
    expect(results.some((x) => x.includes("Too%20many"))).toBe(true);
  });
});

describe("redirects after sign-in stay on this site", () => {
  it.each(["/%5Cevil.example/x", "/%09/evil.example/x", "//evil.example/x", "https://evil.example/x"])(
    "callbackUrl=%s",
    async (callback) => {
      const b = new Browser();
      const r = await b.signIn(adminEmail, adminPassword, decodeURIComponent(callback));
      expect(new URL(r.body.url!).host).toBe(new URL(baseUrl).host);
      const page = await b.fetch(`/login?callbackUrl=${callback}`);
      expect(page.status).toBeGreaterThanOrEqual(300);
      const location = page.headers.get("location")!;
      expect(new URL(location, baseUrl).host).toBe(new URL(baseUrl).host);
      expect(location).not.toContain("evil");
    },
  );

  it("a signed-out deep link returns to the page after sign-in", async () => {
    const b = new Browser();
    const res = await b.fetch(`/${slug}/settings?tab=keys`);
    expect(sentToLogin(res)).toBe(true);
    const login = new URL(res.headers.get("location")!, baseUrl);
    expect(login.searchParams.get("callbackUrl")).toBe(`/${slug}/settings?tab=keys`);
    const r = await b.signIn(adminEmail, adminPassword, login.searchParams.get("callbackUrl")!);
    expect(new URL(r.body.url!).pathname).toBe(`/${slug}/settings`);
  });
});

describe("security headers", () => {
  it("pages carry a nonce CSP, no framing, no sniffing and a referrer policy", async () => {
    const res = await new Browser().fetch("/login");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    const html = await res.text();
    expect(html).toContain(`nonce="${nonce}"`);
    const again = (await new Browser().fetch("/login")).headers.get("content-security-policy");
    expect(again).not.toBe(csp); // a fresh nonce per response
  });

  it("API responses are not sniffable either", async () => {
    const res = await fetch(`${baseUrl}/api/v1/openapi.json`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("a server action posted from another origin gets a 403, not a 500", async () => {
    const res = await fetch(`${baseUrl}/login`, {
      method: "POST",
      headers: {
        "next-action": "0123456789abcdef0123456789abcdef01234567",
        origin: "https://evil.example",
        "content-type": "text/plain;charset=UTF-8",
      },
      body: "[]",
    });
    expect(res.status).toBe(403);
  });
});
