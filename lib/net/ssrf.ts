// URLs a user chooses (webhooks, model connections, the Langfuse import's source) must not reach inside
// the network Lectern runs in (SSRF): loopback, private, link-local, CGNAT, unspecified, multicast,
// reserved and cloud-metadata addresses are refused — when the URL is saved and again on every request,
// on the address actually connected to (DNS answers can change between the two), unless the installation
// allows private addresses (LECTERN_WEBHOOK_ALLOW_PRIVATE, LECTERN_CONNECTIONS_ALLOW_PRIVATE).
// A leaf: node built-ins only, so every domain may use it.
import { lookup as dnsLookup } from "node:dns";
import { BlockList, isIPv4, isIPv6, type LookupFunction } from "node:net";

export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  | "link-local"
  | "cgnat"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "metadata"
  | "documentation"
  | "reserved"
  | "invalid";

type Range = [bigint, number, AddressKind | "embedded-v4"];

function v4ToBigInt(ip: string): bigint | null {
  if (!isIPv4(ip)) return null;
  return ip.split(".").reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6ToBigInt(ip: string): bigint | null {
  if (!isIPv6(ip) || ip.includes("%")) return null;
  let text = ip;
  let tail: bigint[] = [];
  const lastColon = text.lastIndexOf(":");
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes(".")) {
    const v4 = v4ToBigInt(dotted);
    if (v4 === null) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = text.slice(0, lastColon + 1) + "0:0";
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const parse = (s: string) => (s ? s.split(":").map((h) => BigInt(parseInt(h, 16))) : []);
  const left = parse(head);
  const right = rest === undefined ? [] : parse(rest);
  const groups = rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill(0n), ...right];
  if (groups.length !== 8) return null;
  if (tail.length) groups.splice(6, 2, ...tail);
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

const v4 = (cidr: string, kind: AddressKind): Range => {
  const [ip, bits] = cidr.split("/") as [string, string];
  return [v4ToBigInt(ip)!, Number(bits), kind];
};
const v6 = (cidr: string, kind: Range[2]): Range => {
  const [ip, bits] = cidr.split("/") as [string, string];
  return [v6ToBigInt(ip)!, Number(bits), kind];
};

// Most specific first: the first match wins.
const ranges4: Range[] = [
  v4("169.254.169.254/32", "metadata"), // AWS, GCP, Azure, OpenStack instance metadata
  v4("168.63.129.16/32", "metadata"), // Azure WireServer
  v4("100.100.100.200/32", "metadata"), // Alibaba Cloud
  v4("0.0.0.0/8", "unspecified"),
  v4("10.0.0.0/8", "private"),
  v4("100.64.0.0/10", "cgnat"),
  v4("127.0.0.0/8", "loopback"),
  v4("169.254.0.0/16", "link-local"),
  v4("172.16.0.0/12", "private"),
  v4("192.0.0.0/24", "reserved"),
  v4("192.0.2.0/24", "documentation"),
  v4("192.88.99.0/24", "reserved"),
  v4("192.168.0.0/16", "private"),
  v4("198.18.0.0/15", "reserved"),
  v4("198.51.100.0/24", "documentation"),
  v4("203.0.113.0/24", "documentation"),
  v4("224.0.0.0/4", "multicast"),
  v4("255.255.255.255/32", "broadcast"),
  v4("240.0.0.0/4", "reserved"),
];

const ranges6: Range[] = [
  v6("::/128", "unspecified"),
  v6("::1/128", "loopback"),
  v6("::ffff:0:0/96", "embedded-v4"), // IPv4-mapped
  v6("64:ff9b::/96", "embedded-v4"), // NAT64: reaches the embedded IPv4 address
  v6("64:ff9b:1::/48", "private"), // local-use NAT64
  v6("::/96", "reserved"), // IPv4-compatible (deprecated)
  v6("100::/64", "reserved"), // discard
  v6("2001:db8::/32", "documentation"),
  v6("2001::/32", "reserved"), // Teredo: an obfuscated IPv4 address
  v6("2002::/16", "embedded-v4"), // 6to4
  v6("fd00:ec2::254/128", "metadata"), // AWS instance metadata over IPv6
  v6("fc00::/7", "private"), // unique local
  v6("fe80::/10", "link-local"),
  v6("fec0::/10", "private"), // site-local (deprecated)
  v6("ff00::/8", "multicast"),
];

const inRange = (value: bigint, [base, bits]: Range, width: number) =>
  value >> BigInt(width - bits) === base >> BigInt(width - bits);

/** What kind of address this is. Anything but "public" is refused for webhooks. */
export function classifyAddress(input: string): AddressKind {
  const ip = input.startsWith("[") && input.endsWith("]") ? input.slice(1, -1) : input;
  const a4 = v4ToBigInt(ip);
  if (a4 !== null) return (ranges4.find((r) => inRange(a4, r, 32))?.[2] as AddressKind | undefined) ?? "public";
  if (isIPv6(ip) && ip.includes("%")) return "link-local"; // a zone id only makes sense on a local link
  const a6 = v6ToBigInt(ip);
  if (a6 === null) return "invalid";
  const hit = ranges6.find((r) => inRange(a6, r, 128));
  if (hit?.[2] === "embedded-v4") {
    const embedded = hit[1] === 16 ? (a6 >> 80n) & 0xffffffffn : a6 & 0xffffffffn;
    return classifyAddress([24n, 16n, 8n, 0n].map((s) => String((embedded >> s) & 0xffn)).join("."));
  }
  if (hit) return hit[2] as AddressKind;
  // Only global unicast (2000::/3) is routable on the internet.
  return a6 >> 125n === 1n ? "public" : "reserved";
}

export const isPublicAddress = (ip: string) => classifyAddress(ip) === "public";

export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: AddressKind,
  ) {
    super(host === address ? `${address} is a ${kind} address` : `${host} resolves to ${address}, a ${kind} address`);
    this.name = "BlockedAddressError";
  }
}

export type ResolvedAddress = { address: string; family: number };
/** Resolves a host name to every address it has (injectable: tests answer with addresses of their choosing). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * Which non-public addresses may be reached: none (false), all (true), or only those in a list of
 * addresses and ranges (an operator's local Ollama, say, and nothing else on that network).
 */
export type PrivatePolicy = boolean | BlockList;

function allowed(policy: PrivatePolicy, address: string): boolean {
  if (typeof policy === "boolean") return policy;
  const ip = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (mapped) return policy.check(mapped, "ipv4");
  if (isIPv4(ip)) return policy.check(ip, "ipv4");
  return isIPv6(ip) && !ip.includes("%") && policy.check(ip, "ipv6");
}

/** Throws BlockedAddressError when any address is not public (an attacker controls which one is used). */
export function assertPublic(host: string, addresses: ResolvedAddress[], allowPrivate: PrivatePolicy): void {
  if (allowPrivate === true) return;
  for (const a of addresses) {
    const kind = classifyAddress(a.address);
    if (kind !== "public" && !allowed(allowPrivate, a.address)) throw new BlockedAddressError(host, a.address, kind);
  }
}

/** The host of a URL without IPv6 brackets; `localhost` names are loopback by definition (RFC 6761). */
export const bareHost = (url: URL) => url.hostname.replace(/^\[|\]$/g, "");

// Names that reach the inside whatever DNS would answer, or before DNS is asked: loopback by definition
// (RFC 6761, and the names /etc/hosts gives it), and the cloud metadata services' own names.
const loopbackNames = new Set(["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"]);
const metadataNames = new Set([
  "metadata.google.internal", // GCP
  "metadata.goog",
  "metadata",
  "instance-data", // AWS
  "instance-data.ec2.internal",
]);

/**
 * The address a host name stands for by its name alone, after the forms that mean the same name are made one
 * (case, trailing dots: `LOCALHOST.` is `localhost`): 127.0.0.1 for loopback names (`*.localhost`, `*.localdomain`
 * included), 169.254.169.254 for metadata services; undefined for any other name.
 */
export function namedAddress(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.+$/, "");
  if (loopbackNames.has(name) || name.endsWith(".localhost") || name.endsWith(".localdomain")) return "127.0.0.1";
  if (metadataNames.has(name)) return "169.254.169.254";
  return undefined;
}

/** Resolves and checks a webhook URL's host (creation time). */
export async function checkHost(
  url: URL,
  opts: { allowPrivate: PrivatePolicy; resolver?: Resolver },
): Promise<ResolvedAddress[]> {
  const host = bareHost(url);
  if (isIPv4(host) || isIPv6(host)) {
    const found = [{ address: host, family: isIPv4(host) ? 4 : 6 }];
    assertPublic(host, found, opts.allowPrivate);
    return found;
  }
  const named = namedAddress(host);
  if (named) assertPublic(host, [{ address: named, family: 4 }], opts.allowPrivate);
  const found = await (opts.resolver ?? systemResolver)(host);
  if (!found.length) throw new Error(`${host} has no address`);
  assertPublic(host, found, opts.allowPrivate);
  return found;
}

/**
 * A `lookup` for http.request that refuses blocked addresses: the socket connects only to what this
 * returns, so the check applies to the address actually used.
 */
export function guardedLookup(opts: { allowPrivate: PrivatePolicy; resolver?: Resolver }): LookupFunction {
  const resolver = opts.resolver ?? systemResolver;
  return ((
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: (...args: unknown[]) => void,
  ) => {
    resolver(hostname).then(
      (found) => {
        try {
          const family =
            options?.family === 4 || options?.family === "IPv4"
              ? 4
              : options?.family === 6 || options?.family === "IPv6"
                ? 6
                : 0;
          const usable = family ? found.filter((a) => a.family === family) : found;
          if (!usable.length)
            throw Object.assign(new Error(`${hostname} has no IPv${family || ""} address`), { code: "ENOTFOUND" });
          assertPublic(hostname, usable, opts.allowPrivate);
          if (options?.all) callback(null, usable);
          else callback(null, usable[0]!.address, usable[0]!.family);
        } catch (e) {
          callback(e);
        }
      },
      (e: unknown) => callback(e),
    );
  }) as unknown as LookupFunction;
}
