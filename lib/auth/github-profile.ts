// The person a GitHub sign-in names, with whether GitHub verified the address Lectern is given. GitHub's user
// document has no such claim; its list of the account's addresses (scope user:email, which the sign-in asks
// for) says of each whether it is verified. Without that, a GitHub sign-in could create an account but never
// link to an existing one (lib/auth/sso.ts).
import { readBodyCapped } from "../bounded-body";

export const githubIssuer = "https://github.com";

export type GithubUser = { id: number | string; login?: unknown; name?: unknown; email?: unknown };
export type GithubPerson = {
  id: string;
  issuer: string;
  email: string | null;
  name: string | null;
  emailVerified: boolean | undefined;
};
type Fetch = (url: string, init?: RequestInit) => Promise<Response>;
type Address = { email?: unknown; primary?: unknown; verified?: unknown };

const maxDocumentBytes = 1024 * 1024;
const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export async function githubPerson(
  user: GithubUser,
  opts: { accessToken?: string; api?: string; fetch?: Fetch; timeoutMs?: number },
): Promise<GithubPerson> {
  let addresses: Address[] = [];
  if (opts.accessToken) {
    const res = await (opts.fetch ?? fetch)(`${opts.api ?? "https://api.github.com"}/user/emails`, {
      headers: {
        authorization: `Bearer ${opts.accessToken}`,
        accept: "application/vnd.github+json",
        "user-agent": "Lectern",
      },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    if (res.ok) {
      const bytes = await readBodyCapped(
        res.body,
        maxDocumentBytes,
        () => new Error("GitHub's address list is too large."),
      );
      const list = JSON.parse(bytes.toString("utf8")) as unknown;
      if (Array.isArray(list)) addresses = list.filter((a): a is Address => typeof a === "object" && a !== null);
    }
  }
  // The public address when the profile shows one, else the primary one; verified only if GitHub says so of it.
  const shown = text(user.email);
  const chosen = shown ? addresses.find((a) => a.email === shown) : addresses.find((a) => a.primary === true);
  const email = shown ?? text(chosen?.email);
  return {
    id: String(user.id),
    issuer: githubIssuer,
    email,
    name: text(user.name) ?? text(user.login) ?? email,
    emailVerified: chosen ? chosen.verified === true : undefined,
  };
}
