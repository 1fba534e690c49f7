// The person an OpenID Connect sign-in names. The ID token's claims first; when it carries no email
// address, the provider's userinfo endpoint (discovered from its well-known document): providers that
// follow the OpenID Connect conformance profile (oidc-provider, and IdPs configured the same way) put
// scope claims such as email only there when an access token is issued. The userinfo answer counts only
// for the same subject (OpenID Connect Core 5.3.2).
import { readBodyCapped } from "../bounded-body";

export type OidcClaims = { sub: string; iss?: unknown; email?: unknown; name?: unknown; email_verified?: unknown };
/** `id` and `issuer` name the person for good (an account is linked to them); the rest may change. */
export type OidcPerson = {
  id: string;
  issuer: string | null;
  email: string | null;
  name: string | null;
  emailVerified: unknown;
};

type Fetch = (url: string, init?: RequestInit) => Promise<Response>;

/** The provider's documents are small; one larger than this is refused unread (a hostile or broken provider). */
const maxDocumentBytes = 1024 * 1024;

async function documentOf(res: Response, what: string): Promise<unknown> {
  const bytes = await readBodyCapped(
    res.body,
    maxDocumentBytes,
    () => new Error(`The identity provider's ${what} is larger than ${maxDocumentBytes} bytes.`),
  );
  return JSON.parse(bytes.toString("utf8"));
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export async function oidcPerson(
  idToken: OidcClaims,
  opts: { accessToken?: string; wellKnown: string; fetch?: Fetch; timeoutMs?: number },
): Promise<OidcPerson> {
  let claims: OidcClaims = idToken;
  if (!text(idToken.email) && opts.accessToken) {
    const get = opts.fetch ?? fetch;
    const signal = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
    const discovery = (await documentOf(await get(opts.wellKnown, { signal }), "discovery document")) as {
      userinfo_endpoint?: unknown;
    };
    const endpoint = text(discovery.userinfo_endpoint);
    if (endpoint) {
      const res = await get(endpoint, { headers: { authorization: `Bearer ${opts.accessToken}` }, signal });
      const info = res.ok ? ((await documentOf(res, "userinfo answer")) as OidcClaims) : null;
      if (info && info.sub === idToken.sub) claims = { ...idToken, ...info };
    }
  }
  const email = text(claims.email);
  return {
    id: idToken.sub,
    issuer: text(idToken.iss),
    email,
    name: text(claims.name) ?? email,
    emailVerified: claims.email_verified,
  };
}
