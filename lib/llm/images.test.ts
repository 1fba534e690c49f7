// Conversion of image parts to the AI SDK's messages, and their flattening to text for what is stored.
// data: URLs only: no socket is opened here (fetching is tested in images.int.test.ts).
import { describe, expect, it } from "vitest";
import { dataUrlOf, jpegBytes, tinyPng } from "../../test/image-host";
import { describeImagesIn, flattenContent, flattenMessages, messageImages } from "./flatten";
import { createImageFetcher, decodeImageDataUrl, ImageRefusal } from "./image-fetch";
import { ImageCallError, maxImagesPerCall, toSdkMessages } from "./model-messages";
import { toModelMessages } from "./request";
import type { ModelMessage } from "./types";

const fetcher = createImageFetcher({ allowPrivate: false });
/** toSdkMessages throws synchronously for some requests (no image to load): one promise either way. */
const convert = async (...args: Parameters<typeof toSdkMessages>) => toSdkMessages(...args);
const png = dataUrlOf(tinyPng);
const jpeg = dataUrlOf(jpegBytes, "image/jpeg");

describe("toSdkMessages", () => {
  it("sends each image as bytes with the media type its bytes have, text as it is", async () => {
    const messages = await convert(
      {
        model: "m",
        system: "Be brief.",
        messages: [
          {
            role: "system",
            content: [
              { type: "text", text: "one" },
              { type: "text", text: "two" },
            ],
          },
          {
            role: "user",
            content: [
              { type: "text", text: "Compare" },
              { type: "image", url: png },
              { type: "image", url: jpeg },
            ],
          },
          { role: "assistant", content: "Done." },
        ],
        prompt: "And now?",
      },
      fetcher,
    );
    expect(messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "system", content: "one\ntwo" },
      {
        role: "user",
        content: [
          { type: "text", text: "Compare" },
          { type: "image", image: tinyPng, mediaType: "image/png" },
          { type: "image", image: jpegBytes, mediaType: "image/jpeg" },
        ],
      },
      { role: "assistant", content: "Done." },
      { role: "user", content: "And now?" },
    ]);
  });

  it("names the first image that cannot be sent, by message and part", async () => {
    const bad = dataUrlOf(new TextEncoder().encode("not an image at all"));
    const call = convert(
      {
        model: "m",
        messages: [
          { role: "user", content: "hi" },
          {
            role: "user",
            content: [
              { type: "image", url: png },
              { type: "image", url: bad },
            ],
          },
        ],
      },
      fetcher,
    );
    await expect(call).rejects.toThrow(ImageCallError);
    await expect(call).rejects.toMatchObject({
      kind: "refused",
      message: expect.stringMatching(
        /^the image at messages\[1\]\.content\[1\] \(data: \(not an image\)\) was not sent: /,
      ),
    });
  });

  it("refuses more images than one call may send", async () => {
    const content = Array.from({ length: maxImagesPerCall + 1 }, () => ({ type: "image" as const, url: png }));
    await expect(convert({ model: "m", messages: [{ role: "user", content }] }, fetcher)).rejects.toMatchObject({
      kind: "refused",
      message: `the call holds ${maxImagesPerCall + 1} images, more than the ${maxImagesPerCall} one call may send`,
    });
  });

  it("refuses an image in an assistant message", async () => {
    const messages: ModelMessage[] = [{ role: "assistant", content: [{ type: "image", url: png }] }];
    await expect(convert({ model: "m", messages }, fetcher)).rejects.toMatchObject({ kind: "bad_request" });
  });
});

describe("decodeImageDataUrl", () => {
  it("decodes the bytes and checks them", () => {
    expect(decodeImageDataUrl(png)).toEqual({ bytes: tinyPng, mediaType: "image/png" });
    expect(() => decodeImageDataUrl(png, 10)).toThrow(/over the limit/);
    expect(() => decodeImageDataUrl("data:text/plain;base64,aGk=")).toThrow(ImageRefusal);
  });
});

describe("toModelMessages", () => {
  it("keeps parts and maps roles", () => {
    const parts = [
      { type: "text" as const, text: "see" },
      { type: "image" as const, url: png },
    ];
    expect(
      toModelMessages([
        { role: "developer", content: "rules" },
        { role: "tool", content: parts },
      ]),
    ).toEqual([
      { role: "system", content: "rules" },
      { role: "user", content: parts },
    ]);
  });
});

describe("flattening for storage and display", () => {
  const messages: ModelMessage[] = [
    { role: "system", content: "Describe images." },
    {
      role: "user",
      content: [
        { type: "text", text: "What is this?" },
        { type: "image", url: "https://img.example.com/cat.png" },
        { type: "image", url: png },
      ],
    },
  ];

  it("writes images as [image: …] and never a data: URL's data", () => {
    expect(flattenMessages(messages)).toEqual([
      { role: "system", content: "Describe images." },
      {
        role: "user",
        content: "What is this?\n[image: https://img.example.com/cat.png]\n[image: data:image/png (1 KiB)]",
      },
    ]);
    expect(flattenContent("plain")).toBe("plain");
  });

  it("lists the images in order", () => {
    expect(messageImages(messages)).toEqual(["https://img.example.com/cat.png", png]);
    expect(messageImages(undefined)).toEqual([]);
  });

  it("describes data: image values inside JSON (an item's variables)", () => {
    const big = dataUrlOf(new Uint8Array([...tinyPng, ...new Uint8Array(200 * 1024)]));
    const shown = describeImagesIn({ photo: big, nested: [{ url: "https://x.test/a.png" }], n: 3, ok: true });
    expect(shown).toEqual({
      photo: "[image: data:image/png (200 KiB)]",
      nested: [{ url: "https://x.test/a.png" }],
      n: 3,
      ok: true,
    });
    expect(JSON.stringify(shown).length).toBeLessThan(200);
  });
});
