// An upload's format and body are checked before the dataset is touched: these fail without a database.
import { describe, expect, it } from "vitest";
import type { DomainContext } from "../../context";
import { addUploadedItems, MAX_UPLOAD_BYTES } from "./upload";

const ctx = { db: undefined, actor: { type: "system", label: "test" }, projectId: "p" } as unknown as DomainContext;

async function refusal(contentType: string | null, body: string) {
  const reads: number[] = [];
  const read = async (limit: number) => {
    reads.push(limit);
    return body;
  };
  try {
    await addUploadedItems(ctx, "ds", { contentType, read });
  } catch (e) {
    return { error: e as { code: string; message: string; details?: { field?: string } }, reads };
  }
  throw new Error("expected a refusal");
}

describe("an uploaded body", () => {
  it("refuses a Content-Type it does not take without reading the body", async () => {
    const r = await refusal("application/xml; charset=utf-8", "<items/>");
    expect(r.error).toMatchObject({ code: "invalid_input", details: { field: "content-type" } });
    expect(r.error.message).toMatch(/^Content-Type application\/xml is not accepted/);
    expect(r.reads).toEqual([]);
  });

  it("reads at most MAX_UPLOAD_BYTES, then refuses JSON that does not parse", async () => {
    const r = await refusal(null, "{");
    expect(r.error).toMatchObject({ code: "invalid_input", message: "Request body is not valid JSON." });
    expect(r.reads).toEqual([MAX_UPLOAD_BYTES]);
  });

  it("refuses a NUL character and sampleIds that are not ids", async () => {
    expect((await refusal("text/csv", "a\n\u0000")).error).toMatchObject({ code: "invalid_input" });
    expect((await refusal("application/json", '{"sampleIds": ["1"]}')).error).toMatchObject({
      code: "invalid_input",
      details: { field: "sampleIds" },
    });
  });
});
