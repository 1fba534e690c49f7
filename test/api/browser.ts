// A browser's side of sign-in through real HTTP: cookies kept between requests, next-auth's CSRF dance, no
// redirect followed (a test reads where it leads).
import { randomBytes } from "node:crypto";
import { baseUrl } from "./client";

export class Browser {
  cookies = new Map<string, string>();
  constructor(
    private readonly ip = `198.51.100.${1 + (randomBytes(1)[0]! % 200)}`,
    private readonly extra: Record<string, string> = {},
    /** The server: the tier's own unless a test starts one of its own. */
    private readonly base = baseUrl,
  ) {}
  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  private keep(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (value === "" || /max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  async fetch(path: string, init: RequestInit = {}) {
    // The api-tier server trusts 127.0.0.1 as a proxy, so X-Forwarded-For stands for the client's address.
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.extra)) headers.set(k, v);
    headers.set("cookie", this.cookieHeader());
    if (!headers.has("x-forwarded-for")) headers.set("x-forwarded-for", this.ip);
    const res = await fetch(this.base + path, { ...init, headers, redirect: "manual" });
    this.keep(res);
    return res;
  }
  async signIn(email: string, password: string, callbackUrl = "/") {
    const csrf = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    const body = new URLSearchParams({ csrfToken: csrf.csrfToken, email, password, callbackUrl, json: "true" });
    const res = await this.fetch("/api/auth/callback/credentials", {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as { url?: string } };
  }
  async signOut() {
    const csrf = (await (await this.fetch("/api/auth/csrf")).json()) as { csrfToken: string };
    await this.fetch("/api/auth/signout", {
      method: "POST",
      body: new URLSearchParams({ csrfToken: csrf.csrfToken, json: "true" }),
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
  }
  sessionCookie() {
    return [...this.cookies].find(([k]) => k.endsWith("next-auth.session-token"));
  }
}
