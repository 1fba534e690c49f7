// Where Lectern listens and the address to open, shared by `npm start` (gateway/main.ts, through HOST's
// default in lib/server/wiring/parse-env.ts) and `npm run dev` (scripts/next.mjs).

/** Only this machine, unless HOST or -H says otherwise: a newcomer's server is not on the network. */
export const DEFAULT_HOST = "127.0.0.1";

/** The value of `-H` / `--hostname` in command-line arguments, if given. */
export function hostnameFlag(args) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "-H" || args[i] === "--hostname") return args[i + 1];
    if (args[i].startsWith("--hostname=")) return args[i].slice("--hostname=".length);
  }
  return undefined;
}

/**
 * The address to open in a browser. For loopback and every-interface listeners it is localhost, the host of
 * NEXTAUTH_URL's default (next.config.mjs): sign-in links and cookies then name the host the browser uses.
 */
export function openUrl(host, port) {
  const local = ["127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "[::]", "[::1]"].includes(host);
  return `http://${local ? "localhost" : host.includes(":") ? `[${host}]` : host}:${port}`;
}
