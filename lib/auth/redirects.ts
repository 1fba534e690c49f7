// Where to send someone after they sign in. Only a path on this site is accepted, read the way a
// browser reads it: "/\evil.example" and "/<TAB>/evil.example" are "//evil.example" to a browser,
// which is another host, so the URL is parsed with the WHATWG parser (what browsers use) and the
// result kept only when its origin is ours.

const fallbackBase = "http://lectern.invalid";

export function safeCallbackPath(value: string | null | undefined, ownOrigin: string = fallbackBase): string {
  if (!value) return "/";
  let base: URL;
  let url: URL;
  try {
    base = new URL(ownOrigin);
    url = new URL(value, base);
  } catch {
    return "/";
  }
  if (url.origin !== base.origin) return "/";
  // A path that itself starts with two slashes would be read as a host when used as a link.
  const path = url.pathname.replace(/^[/\\]+/, "/");
  return `${path}${url.search}${url.hash}`;
}
