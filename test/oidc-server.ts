// A real OpenID Connect provider for the single sign-on tests: the `oidc-provider` package (the certified
// implementation many identity servers are built on) on 127.0.0.1, with its development login and
// consent pages (any account id signs in; the password is not checked). Accounts are the ones given, read at
// each sign-in (a test may change an account's address between two).
import type { Server } from "node:http";

/** `emailVerified`: the claim's value (default true); null leaves the claim out, as some providers do. */
export type OidcAccount = { email: string; name: string; emailVerified?: boolean | null };

export type OidcServer = { issuer: string; stop(): Promise<void> };

export async function startOidcProvider(opts: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, OidcAccount>;
}): Promise<OidcServer> {
  // ESM only: loaded with import(), which the CommonJS test files may call.
  const { default: Provider } = await import("oidc-provider");
  const issuer = `http://127.0.0.1:${opts.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    findAccount: async (_ctx, id) => {
      const a = opts.accounts[id];
      if (!a) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: a.email,
          ...(a.emailVerified === null ? {} : { email_verified: a.emailVerified ?? true }),
          name: a.name,
        }),
      };
    },
    cookies: { keys: ["lectern-e2e-oidc-cookie-key"] },
  });
  const server: Server = await new Promise((resolve) => {
    const s = provider.listen(opts.port, "127.0.0.1", () => resolve(s));
  });
  return {
    issuer,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
