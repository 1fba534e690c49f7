// The person an OpenID Connect sign-in names. The ID token's claims first; when it carries no email
// address, the provider's userinfo endpoint (discovered from its well-known document): providers that
// follow the OpenID Connect conformance profile (oidc-provider, and IdPs configured the same way) put
// scope claims such as email only there when an access token is issued. The userinfo answer counts only
// for the same subject (OpenID Connect Core 5.3.2).

export type OidcClaims = { sub: string; email?: unknown; name?: unknown; email_verified?: unknown };
export type OidcPerson = { id: string; email: string | null; name: string | null; emailVerified: unknown };

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export async function oidcPerson(
  idToken: OidcClaims,
  opts: { accessToken?: string; wellKnown: string; fetch?: Fetch; timeoutMs?: number },
): Promise<OidcPerson> {
  let claims: OidcClaims = idToken;
  if (!text(idToken.email) && opts.accessToken) {
    const get = opts.fetch ?? fetch;
    const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    const discovery = (await (await get(opts.wellKnown, { signal })).json()) as { userinfo_endpoint?: unknown };
    const endpoint = text(discovery.userinfo_endpoint);
    if (endpoint) {
      const res = await get(endpoint, { headers: { authorization: `Bearer ${opts.accessToken}` }, signal });
      const info = res.ok ? ((await res.json()) as OidcClaims) : null;
      if (info && info.sub === idToken.sub) claims = { ...idToken, ...info };
    }
  }
  const email = text(claims.email);
  return { id: idToken.sub, email, name: text(claims.name) ?? email, emailVerified: claims.email_verified };
}
