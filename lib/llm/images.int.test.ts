// Images in model calls, end to end over real sockets: Lectern fetches an https image from a local TLS
// host (or decodes a data: URL) and the scripted model receives its bytes inline, in OpenAI's image_url
// part or Anthropic's image block. The provider never gets a URL to fetch.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { dataUrlOf, imageHostCa, jpegBytes, startImageHost, tinyPng, type ImageHost } from "../../test/image-host";
import { localCaller, loopbackOnly, withLlmServer } from "../../test/llm-caller";
import { sha256Hex } from "../../test/llm-server";
import { callModel } from "./call-model";
import { createImageFetcher } from "./image-fetch";
import type { ModelContentPart } from "./types";

const getServer = withLlmServer();
let host: ImageHost;
beforeAll(async () => {
  host = await startImageHost();
});
afterAll(async () => {
  await host.stop();
});
beforeEach(() => {
  host.requests.length = 0;
  host.serve("/cat.png", { body: tinyPng, headers: { "content-type": "image/png" } });
});

/** A caller whose image fetches may reach the loopback image host (as LECTERN_CONNECTIONS_ALLOW_PRIVATE=127.0.0.1 allows). */
const caller = (provider: "openai-compatible" | "openai" | "anthropic" = "openai-compatible") =>
  localCaller(
    getServer(),
    { provider, apiKey: "k", maxRetries: 0 },
    { images: createImageFetcher({ allowPrivate: loopbackOnly(), ca: imageHostCa }) },
  );

const withImages = (...parts: ModelContentPart[]) => ({
  model: "scripted-model",
  messages: [
    { role: "user" as const, content: [{ type: "text" as const, text: "What is in the picture?" }, ...parts] },
  ],
});

describe("images reach the model as bytes", () => {
  it.each(["openai-compatible", "openai", "anthropic"] as const)(
    "an https image and a data: image arrive inline (%s)",
    async (provider) => {
      const jpegUrl = dataUrlOf(jpegBytes, "image/jpeg");
      const r = await callModel(
        caller(provider),
        withImages({ type: "image", url: `${host.url}/cat.png` }, { type: "image", url: jpegUrl }),
      );
      expect(r.error).toBeUndefined();
      const [request] = getServer().requests;
      expect(request!.images).toEqual([
        { message: 0, part: 1, mediaType: "image/png", byteLength: tinyPng.length, sha256: sha256Hex(tinyPng) },
        { message: 0, part: 2, mediaType: "image/jpeg", byteLength: jpegBytes.length, sha256: sha256Hex(jpegBytes) },
      ]);
      expect(host.requests).toEqual(["/cat.png"]);
      // On the wire, OpenAI-shaped requests carry data: URLs in image_url parts, never the host's URL.
      const wire = JSON.stringify(request!.body);
      expect(wire).not.toContain(host.url);
      if (provider !== "anthropic") expect(wire).toContain(`"image_url":{"url":"${dataUrlOf(tinyPng)}"}`);
    },
  );

  it("fetches an image once for many calls (the run's items share it)", async () => {
    const c = caller();
    const url = `${host.url}/cat.png`;
    await Promise.all([1, 2, 3].map(() => callModel(c, withImages({ type: "image", url }))));
    await callModel(c, withImages({ type: "image", url }));
    expect(getServer().requests.map((r) => r.images.length)).toEqual([1, 1, 1, 1]);
    expect(host.requests).toEqual(["/cat.png"]);
  });

  it("lets a script rule see which image arrived (its marker is in the prompt)", async () => {
    getServer().script({
      rules: [{ match: `[image image/png sha256:${sha256Hex(tinyPng).slice(0, 16)}]`, text: "a red pixel" }],
    });
    const r = await callModel(caller(), withImages({ type: "image", url: dataUrlOf(tinyPng) }));
    expect(r.text).toBe("a red pixel");
  });
});

describe("an image that cannot be sent fails the call, naming it", () => {
  const failing = async (part: ModelContentPart, c = caller()) => {
    const r = await callModel(c, withImages(part));
    expect(getServer().requests).toHaveLength(0); // the model was never called
    expect(r.attempts).toBe(0);
    expect(r.error?.retryable).toBe(false);
    return r.error!;
  };

  it("an image on a private address, without the private allowance", async () => {
    const strict = localCaller(
      getServer(),
      { maxRetries: 0 },
      { images: createImageFetcher({ allowPrivate: false, ca: imageHostCa }) },
    );
    const e = await failing({ type: "image", url: `${host.url}/cat.png` }, strict);
    expect(e.kind).toBe("refused");
    expect(e.message).toMatch(
      /^the image at messages\[0\]\.content\[1\] \(https:\/\/127\.0\.0\.1:\d+\/cat\.png\) was not sent: /,
    );
    expect(e.message).toContain("127.0.0.1 is a loopback address");
    expect(e.message).toContain("LECTERN_CONNECTIONS_ALLOW_PRIVATE");
    expect(host.requests).toEqual([]);
  });

  it("the default image fetcher of a caller allows public addresses only", async () => {
    const e = await failing({ type: "image", url: `${host.url}/cat.png` }, localCaller(getServer(), { maxRetries: 0 }));
    expect(e.kind).toBe("refused");
    expect(host.requests).toEqual([]);
  });

  it("a host name that resolves to a metadata address", async () => {
    const names = async (h: string) => (h === "images.test" ? [{ address: "169.254.169.254", family: 4 }] : []);
    const c = localCaller(
      getServer(),
      {},
      { images: createImageFetcher({ allowPrivate: loopbackOnly(), resolver: names }) },
    );
    const e = await failing({ type: "image", url: "https://images.test/cat.png" }, c);
    expect(e.kind).toBe("refused");
    expect(e.message).toContain("images.test resolves to 169.254.169.254, a metadata address");
  });

  it.each([
    ["a private address", "https://10.0.0.5/cat.png", "10.0.0.5 is a private address"],
    ["a plain http: URL", "http://example.com/cat.png", "refused: an image must be an https: URL"],
  ])("a redirect to %s", async (_, target, why) => {
    host.serve("/moved.png", { status: 302, headers: { location: target } });
    const e = await failing({ type: "image", url: `${host.url}/moved.png` });
    expect(e.kind).toBe("refused");
    expect(e.message).toContain(why);
    expect(host.requests).toEqual(["/moved.png"]);
  });

  it("follows a redirect to an allowed https host, checking it again", async () => {
    const names = async (h: string) => (h === "cdn.test" ? [{ address: "127.0.0.1", family: 4 }] : []);
    host.serve("/moved.png", { status: 301, headers: { location: `https://cdn.test:${host.port}/cat.png` } });
    const c = localCaller(
      getServer(),
      {},
      {
        images: createImageFetcher({ allowPrivate: loopbackOnly(), ca: imageHostCa, resolver: names }),
      },
    );
    const r = await callModel(c, withImages({ type: "image", url: `${host.url}/moved.png` }));
    expect(r.error).toBeUndefined();
    expect(getServer().requests[0]!.images[0]!.sha256).toBe(sha256Hex(tinyPng));
    expect(host.requests).toEqual(["/moved.png", "/cat.png"]);
  });

  const big = new Uint8Array(5 * 1024 * 1024 + 1).fill(7);
  big.set(tinyPng.subarray(0, 8));
  it.each([
    [
      "says its size",
      { body: big, headers: { "content-type": "image/png" } },
      /the image is 5242881 bytes, over the limit of 5242880 bytes/,
    ],
    [
      "hides its size",
      { body: big, chunked: true, headers: { "content-type": "image/png" } },
      /the image is larger than the limit of 5120 KiB/,
    ],
    [
      "is HTML",
      { body: "<html>hi</html>", headers: { "content-type": "text/html; charset=utf-8" } },
      /text\/html, not an image/,
    ],
    [
      "is labelled PNG but is text",
      { body: "just text", headers: { "content-type": "image/png" } },
      /not a PNG, JPEG, GIF or WebP/,
    ],
  ])("a body that %s is refused", async (_, reply, why) => {
    host.serve("/x.png", reply);
    const e = await failing({ type: "image", url: `${host.url}/x.png` });
    expect(e.kind).toBe("refused");
    expect(e.message).toMatch(why);
  });

  it("a host that does not answer in time is a bad request", async () => {
    host.serve("/slow.png", { hang: true });
    const c = localCaller(
      getServer(),
      {},
      {
        images: createImageFetcher({ allowPrivate: loopbackOnly(), ca: imageHostCa, timeoutMs: 200 }),
      },
    );
    const e = await failing({ type: "image", url: `${host.url}/slow.png` }, c);
    expect(e.kind).toBe("bad_request");
    expect(e.message).toContain("the image host did not answer within 0.2 s");
  });

  it("the caller's abort while an image loads ends the call as aborted", async () => {
    host.serve("/slow.png", { hang: true });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const r = await callModel(caller(), {
      ...withImages({ type: "image", url: `${host.url}/slow.png` }),
      abortSignal: controller.signal,
    });
    expect(r.error?.kind).toBe("aborted");
    expect(getServer().requests).toHaveLength(0);
  });

  it("a host that answers 404 is a bad request", async () => {
    const e = await failing({ type: "image", url: `${host.url}/missing.png` });
    expect(e.kind).toBe("bad_request");
    expect(e.message).toContain("the image host answered HTTP 404");
  });

  it.each([
    [
      "a data: URL whose data is not the type it says",
      dataUrlOf(jpegBytes, "image/png"),
      "refused",
      /says image\/png but the data is image\/jpeg/,
    ],
    ["a data: URL that is not base64", "data:image/png;base64,!!!!", "bad_request", /not valid base64/],
    ["an SVG", "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", "refused", /not an accepted image type/],
  ])("%s", async (_, url, kind, why) => {
    const e = await failing({ type: "image", url });
    expect(e.kind).toBe(kind);
    expect(e.message).toMatch(why);
  });

  it("an image in a system message", async () => {
    const r = await callModel(caller(), {
      model: "scripted-model",
      messages: [
        { role: "system", content: [{ type: "image", url: dataUrlOf(tinyPng) }] },
        { role: "user", content: "hi" },
      ],
    });
    expect(r.error).toMatchObject({ kind: "bad_request", retryable: false });
    expect(r.error!.message).toContain("messages[0].content[0] (data:image/png (1 KiB)) is in a system message");
    expect(getServer().requests).toHaveLength(0);
  });
});
