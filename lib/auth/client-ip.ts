// Who is on the other end of a request, for per-IP sign-in limits. Proxy headers are believed only
// when they come from a configured proxy (LECTERN_TRUSTED_PROXIES); anyone can send X-Forwarded-For.
import { BlockList, isIP } from "node:net";

/**
 * Set by Lectern's own server (gateway/main.ts) to the socket's address, overwriting any client value.
 * Only believed when that server is in front (`peerHeader: true`): under plain `next start` a client
 * could send it.
 */
export const PEER_HEADER = "x-lectern-peer";

export type TrustedProxies = { list: BlockList; configured: boolean };

/** Parses a comma-separated list of addresses and CIDR ranges; throws naming a bad entry. */
export function parseTrustedProxies(spec: string | undefined): TrustedProxies {
  const list = new BlockList();
  const entries = (spec ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [addr, bits] = entry.split("/");
    const family = isIP(addr ?? "");
    if (!family) throw new Error(`${entry} is not an IP address or CIDR range`);
    const type = family === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(addr!, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 6 ? 128 : 32))
        throw new Error(`${entry} has an invalid prefix length`);
      list.addSubnet(addr!, prefix, type);
    }
  }
  return { list, configured: entries.length > 0 };
}

/** "::ffff:10.0.0.1" → "10.0.0.1"; anything that is not an address → undefined. */
export function normalizeIp(value: string | undefined): string | undefined {
  const v = value?.trim().replace(/^\[|\]$/g, "");
  if (!v) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(v)?.[1];
  const ip = mapped ?? v;
  return isIP(ip) ? ip : undefined;
}

function isTrusted(t: TrustedProxies, ip: string): boolean {
  return t.list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

type HeaderSource = { get(name: string): string | null } | Record<string, unknown>;
const header = (h: HeaderSource | undefined, name: string): string | undefined => {
  if (!h) return undefined;
  const v =
    typeof (h as { get?: unknown }).get === "function"
      ? (h as { get(n: string): string | null }).get(name)
      : (h as Record<string, unknown>)[name];
  return typeof v === "string" ? v : Array.isArray(v) ? v.join(",") : undefined;
};

/**
 * The client's address. With the peer known (Lectern's server): the peer itself, unless it is a
 * trusted proxy, in which case X-Forwarded-For is read from the right, skipping trusted proxies.
 * Without a peer (Next alone): X-Forwarded-For the same way, but only when proxies are configured
 * (the platform's proxy is then the one that wrote it); otherwise undefined — nothing trustworthy.
 */
export function clientIp(
  headers: HeaderSource | undefined,
  trusted: TrustedProxies,
  opts: { peerHeader: boolean } = { peerHeader: true },
): string | undefined {
  const peer = opts.peerHeader ? normalizeIp(header(headers, PEER_HEADER)) : undefined;
  if (peer && !isTrusted(trusted, peer)) return peer;
  if (!peer && !trusted.configured) return undefined;
  const hops = (header(headers, "x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalizeIp(s))
    .filter((s): s is string => Boolean(s));
  for (let i = hops.length - 1; i >= 0; i--) if (!isTrusted(trusted, hops[i]!)) return hops[i];
  return hops[0] ?? peer;
}
