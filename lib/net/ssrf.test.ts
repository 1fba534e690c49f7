import { describe, expect, it } from "vitest";
import { assertPublic, BlockedAddressError, checkHost, classifyAddress, guardedLookup, type AddressKind } from "./ssrf";

describe("classifyAddress", () => {
  it.each<[string, AddressKind]>([
    // IPv4
    ["8.8.8.8", "public"],
    ["93.184.215.14", "public"],
    ["1.1.1.1", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.15.255.255", "public"],
    ["172.32.0.0", "public"],
    ["192.168.1.10", "private"],
    ["192.169.0.1", "public"],
    ["169.254.0.1", "link-local"],
    ["169.254.169.254", "metadata"],
    ["169.254.170.2", "link-local"],
    ["168.63.129.16", "metadata"],
    ["100.100.100.200", "metadata"],
    ["100.64.0.1", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.0", "public"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.0.8", "reserved"],
    ["198.18.0.1", "reserved"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    // IPv6
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["[::1]", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fc00::1", "private"],
    ["fd12:3456:789a::1", "private"],
    ["fd00:ec2::254", "metadata"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf::1", "link-local"],
    ["fec0::1", "private"],
    ["ff02::1", "multicast"],
    ["2001:4860:4860::8888", "public"],
    ["2606:4700:4700::1111", "public"],
    ["2001:db8::1", "documentation"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
    ["100::1", "reserved"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["::ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "metadata"],
    ["::ffff:8.8.8.8", "public"],
    ["64:ff9b::7f00:1", "loopback"],
    ["64:ff9b::8.8.8.8", "public"],
    ["64:ff9b:1::1", "private"],
    ["2002:7f00:1::1", "loopback"],
    ["2002:0808:0808::1", "public"],
    ["::127.0.0.1", "reserved"],
    ["4000::1", "reserved"],
    // not addresses
    ["localhost", "invalid"],
    ["256.1.1.1", "invalid"],
    ["1.2.3", "invalid"],
    ["", "invalid"],
  ])("%s is %s", (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });
});

describe("host checks", () => {
  const resolver = (map: Record<string, string[]>) => async (host: string) =>
    (map[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

  it.each([
    ["http://127.0.0.1:8080/x", "loopback"],
    ["http://[::1]/x", "loopback"],
    ["http://localhost/x", "loopback"],
    ["http://api.localhost/x", "loopback"],
    ["http://localhost./x", "loopback"],
    ["http://localhost.localdomain/x", "loopback"],
    ["http://metadata.google.internal./x", "metadata"],
    ["http://METADATA.GOOG/x", "metadata"],
    ["http://2130706433/", "loopback"], // WHATWG URL normalises decimal and hex forms to 127.0.0.1
    ["http://0x7f.1/", "loopback"],
    ["http://169.254.169.254/latest/meta-data", "metadata"],
    ["http://[::ffff:10.0.0.1]/", "private"],
    ["http://internal.example/", "private"],
    ["http://mixed.example/", "private"],
  ])("%s is refused (%s)", async (url, kind) => {
    const r = resolver({ "internal.example": ["10.1.2.3"], "mixed.example": ["93.184.215.14", "192.168.0.4"] });
    const err = await checkHost(new URL(url), { allowPrivate: false, resolver: r }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BlockedAddressError);
    expect((err as BlockedAddressError).kind).toBe(kind);
  });

  it("accepts public hosts and, when allowed, private ones", async () => {
    const r = resolver({
      "hooks.example": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
      "internal.example": ["10.1.2.3"],
    });
    expect(await checkHost(new URL("https://hooks.example/in"), { allowPrivate: false, resolver: r })).toHaveLength(2);
    expect(await checkHost(new URL("http://internal.example/"), { allowPrivate: true, resolver: r })).toEqual([
      { address: "10.1.2.3", family: 4 },
    ]);
    expect(await checkHost(new URL("http://127.0.0.1/"), { allowPrivate: true, resolver: r })).toEqual([
      { address: "127.0.0.1", family: 4 },
    ]);
  });

  it("assertPublic names the host and the address", () => {
    expect(() => assertPublic("evil.example", [{ address: "127.0.0.1", family: 4 }], false)).toThrow(
      "evil.example resolves to 127.0.0.1, a loopback address",
    );
  });

  it("the guarded lookup refuses at connection time, in both callback shapes", async () => {
    const r = resolver({ "rebind.example": ["127.0.0.1"], "ok.example": ["93.184.215.14"] });
    const lookup = guardedLookup({ allowPrivate: false, resolver: r }) as unknown as (
      h: string,
      o: object,
      cb: (...a: unknown[]) => void,
    ) => void;
    const call = (host: string, all: boolean) =>
      new Promise<unknown[]>((resolve) => lookup(host, { all }, (...args) => resolve(args)));
    const [err] = await call("rebind.example", false);
    expect(String(err)).toContain("rebind.example resolves to 127.0.0.1, a loopback address");
    expect(await call("ok.example", false)).toEqual([null, "93.184.215.14", 4]);
    expect(await call("ok.example", true)).toEqual([null, [{ address: "93.184.215.14", family: 4 }]]);
  });
});
