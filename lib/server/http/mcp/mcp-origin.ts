// Which browser origins may use the MCP server (the 2025-11-25 transport: servers must validate Origin, or a web
// page could reach a server on the user's machine through DNS rebinding). A request without Origin is not a
// browser's cross-site request (every non-browser client sends none) and passes; one with an Origin passes when
// it is the server's own (its public URL's) or listed in LECTERN_MCP_ALLOWED_ORIGINS.

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The origin's scheme, host and port; loopback names are one host (a server on localhost is reached by any of them). */
function key(origin: string): string | null {
  try {
    const u = new URL(origin);
    if (u.protocol !== "http:" && u.protocol !== "https:") return null;
    const host = LOOPBACK.has(u.hostname) ? "loopback" : u.hostname;
    return `${u.protocol}//${host}:${u.port || (u.protocol === "https:" ? "443" : "80")}`;
  } catch {
    return null;
  }
}

/** A check of a request's Origin header: the server's own origin (`publicUrl`) and `allowed` pass (`*`: any). */
export function originCheck(publicUrl: string, allowed: readonly string[] | "*"): (origin: string | null) => boolean {
  if (allowed === "*") return () => true;
  const ok = new Set([publicUrl, ...allowed].map(key).filter((k): k is string => k !== null));
  return (origin) => origin === null || ok.has(key(origin) ?? "");
}
