import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { parseContent, type ChatContent } from "./content";
import {
  contentText,
  describeImageUrl,
  imageUrlProblem,
  maxStoredImageBytes,
  parseImageDataUrl,
} from "./content-parts";
import { diffContent } from "./changes/diff";
import { renderContent, validateContent } from "./templates/template";

// A 1×1 PNG and the first bytes of a JPEG, as an application would send them.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);
const pngUrl = `data:image/png;base64,${png.toString("base64")}`;
const jpegUrl = `data:image/jpeg;base64,${Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]).toString("base64")}`;

const chat = (content: unknown, variables: unknown[] = []) =>
  parseContent({ type: "chat", template: [{ role: "user", content }], variables }) as ChatContent;

const thrown = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected an AppError");
};

describe("image URLs", () => {
  it("accepts https: and image data: URLs whose bytes are what they claim", () => {
    expect(imageUrlProblem("https://cdn.example.com/a.png", 10)).toBeNull();
    expect(imageUrlProblem(pngUrl, maxStoredImageBytes)).toBeNull();
    expect(imageUrlProblem(jpegUrl, maxStoredImageBytes)).toBeNull();
    expect(parseImageDataUrl(pngUrl, 1_000)).toMatchObject({ mediaType: "image/png", bytes: png.length });
  });

  it("refuses other schemes, credentials, lying types, non-images and oversize data", () => {
    expect(imageUrlProblem("http://example.com/a.png", 10)).toMatch(/https: URL or a data:image/);
    expect(imageUrlProblem("file:///etc/passwd", 10)).toMatch(/https: URL/);
    expect(imageUrlProblem("https://u:p@example.com/a.png", 10)).toMatch(/user name or password/);
    expect(imageUrlProblem(pngUrl.replace("image/png", "image/jpeg"), 1_000)).toMatch(
      /says image\/jpeg but the data is image\/png/,
    );
    expect(imageUrlProblem(`data:image/png;base64,${Buffer.from("<svg/>").toString("base64")}`, 1_000)).toMatch(
      /not a PNG/,
    );
    expect(imageUrlProblem("data:image/svg+xml;base64,PHN2Zz4=", 1_000)).toMatch(/not an accepted image type/);
    expect(imageUrlProblem("data:image/png;base64,%%%%", 1_000)).toMatch(/not valid base64/);
    expect(imageUrlProblem(pngUrl, 10)).toMatch(/over the limit of 1 KiB/);
  });

  it("reads a data: URL as its type and size, never its data", () => {
    expect(describeImageUrl(pngUrl)).toBe("data:image/png (1 KiB)");
    expect(
      contentText([
        { type: "text", text: "Look:" },
        { type: "image", url: pngUrl },
        { type: "image", variable: "photo" },
      ]),
    ).toBe("Look:\n[image: data:image/png (1 KiB)]\n[image: {{photo}}]");
  });
});

describe("chat messages with image parts", () => {
  const content = chat(
    [
      { type: "text", text: "Describe the damage for {{customer}}." },
      { type: "image", url: "https://cdn.example.com/policy.png" },
      { type: "image", variable: "photo" },
    ],
    [{ name: "customer" }, { name: "photo", type: "image" }],
  );

  it("render text parts as templates and put the image variable's value in", () => {
    const { rendered } = renderContent(content, { customer: "Ada", photo: pngUrl });
    expect(rendered).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Describe the damage for Ada." },
          { type: "image", url: "https://cdn.example.com/policy.png" },
          { type: "image", url: pngUrl },
        ],
      },
    ]);
  });

  it("refuses an image variable that is not an image, naming why", () => {
    const e = thrown(() => renderContent(content, { customer: "Ada", photo: "http://10.0.0.1/x.png" }));
    expect(e.code).toBe("invalid_variables");
    expect(e.message).toMatch(
      /photo must be an image, got a string that is not an image \(an image must be an https: URL/,
    );
  });

  it("drops an optional image variable's part when no value is given", () => {
    const optional = chat(
      [
        { type: "text", text: "Hi" },
        { type: "image", variable: "photo" },
      ],
      [{ name: "photo", type: "image", required: false }],
    );
    expect(renderContent(optional, {}).rendered[0]!.content).toEqual([{ type: "text", text: "Hi" }]);
  });

  it("is checked when saved: declared image variables, images only in image parts", () => {
    expect(validateContent(content).warnings).toEqual([]);
    expect(thrown(() => validateContent(chat([{ type: "image", variable: "photo" }]))).message).toMatch(
      /undeclared variables: photo/,
    );
    const wrongType = chat([{ type: "image", variable: "photo" }], [{ name: "photo", type: "string" }]);
    expect(thrown(() => validateContent(wrongType)).message).toMatch(
      /photo, which is a string variable: declare it with type image/,
    );
    const inText = chat("See {{photo}}", [{ name: "photo", type: "image" }]);
    expect(thrown(() => validateContent(inText)).message).toMatch(/uses image variable photo in text/);
  });

  it("refuses malformed parts with a message naming the problem", () => {
    const bad = (c: unknown) => thrown(() => chat(c)).message;
    expect(bad([])).toMatch(/at least one part/);
    expect(bad([{ type: "image" }])).toMatch(/either a url or a variable/);
    expect(bad([{ type: "image", url: "https://a", variable: "x" }])).toMatch(/either a url or a variable/);
    expect(bad([{ type: "image", url: "ftp://a/b.png" }])).toMatch(/image url: an image must be an https: URL/);
    expect(bad([{ type: "audio", url: "https://a" }])).toMatch(
      /a list of parts: \{type: "text", text\} or \{type: "image", url \| variable\}/,
    );
    expect(bad(Array.from({ length: 21 }, () => ({ type: "text", text: "x" })))).toMatch(/at most 20 parts/);
  });

  it("shows images in a diff as [image: …] lines", () => {
    const before = chat("Describe the damage.");
    const d = diffContent(before, content);
    expect(JSON.stringify(d)).toContain("[image: https://cdn.example.com/policy.png]");
    expect(JSON.stringify(d)).toContain("[image: {{photo}}]");
  });
});
