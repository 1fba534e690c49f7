import { describe, expect, it } from "vitest";
import { clientIp, normalizeIp, parseTrustedProxies, PEER_HEADER } from "./client-ip";

const none = parseTrustedProxies(undefined);
const lb = parseTrustedProxies("10.0.0.0/8, 192.168.1.5, fd00::/8");

describe("clientIp", () => {
  it.each([
    [
      "direct client, spoofed X-Forwarded-For ignored",
      { [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4" },
      none,
      "203.0.113.7",
    ],
    ["IPv4-mapped peer", { [PEER_HEADER]: "::ffff:203.0.113.7" }, none, "203.0.113.7"],
    [
      "untrusted peer with proxies configured",
      { [PEER_HEADER]: "203.0.113.7", "x-forwarded-for": "1.2.3.4" },
      lb,
      "203.0.113.7",
    ],
    ["behind one trusted proxy", { [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": "198.51.100.9" }, lb, "198.51.100.9"],
    [
      "client-sent hop before the proxy's is not believed",
      { [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": "1.1.1.1, 198.51.100.9" },
      lb,
      "198.51.100.9",
    ],
    [
      "two trusted proxies",
      { [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": "198.51.100.9, 192.168.1.5" },
      lb,
      "198.51.100.9",
    ],
    ["IPv6 trusted range", { [PEER_HEADER]: "fd00::1", "x-forwarded-for": "2001:db8::5" }, lb, "2001:db8::5"],
    ["no peer, no proxies: nothing to trust", { "x-forwarded-for": "1.2.3.4" }, none, undefined],
    [
      "no peer, proxies configured (platform proxy)",
      { "x-forwarded-for": "1.1.1.1, 198.51.100.9" },
      lb,
      "198.51.100.9",
    ],
    [
      "garbage in the header is skipped",
      { [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": "198.51.100.9, not-an-ip" },
      lb,
      "198.51.100.9",
    ],
    ["all hops trusted: the leftmost", { [PEER_HEADER]: "10.1.2.3", "x-forwarded-for": "10.9.9.9" }, lb, "10.9.9.9"],
  ])("%s", (_label, headers, trusted, expected) => {
    expect(clientIp(headers, trusted)).toBe(expected);
    expect(clientIp(new Headers(headers as Record<string, string>), trusted)).toBe(expected);
  });

  it("without Lectern's server in front, a peer header sent by the client is ignored", () => {
    expect(clientIp({ [PEER_HEADER]: "203.0.113.7" }, none, { peerHeader: false })).toBeUndefined();
    expect(clientIp({ [PEER_HEADER]: "10.1.1.1", "x-forwarded-for": "198.51.100.9" }, lb, { peerHeader: false })).toBe(
      "198.51.100.9",
    );
  });

  it("refuses a bad proxy list, naming the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, nope")).toThrow("nope is not an IP address or CIDR range");
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow("10.0.0.0/33 has an invalid prefix length");
  });

  it("normalizes addresses", () => {
    expect(normalizeIp(" [::1] ")).toBe("::1");
    expect(normalizeIp("unknown")).toBeUndefined();
  });
});
