// Cursors of MCP's paged lists: what the server gives reads back to the last name or URI of the page, whatever its
// characters; anything else is invalid_input naming the cursor, not a place in the list.
import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { decodeCursor, encodeCursor } from "./cursor";

describe("MCP list cursors", () => {
  it("read back what they were made from", () => {
    for (const last of ["tone", "support/reply", "skill://a%20b/SKILL.md", "é/日本", "x".repeat(1000)])
      expect(decodeCursor(encodeCursor(last))).toBe(last);
    expect(decodeCursor(undefined)).toBeUndefined();
    expect(decodeCursor("")).toBeUndefined();
  });

  it("refuse anything the server did not make, naming the cursor", () => {
    for (const junk of ["junk", "tone", "c1.", "c1.!!", "c1.dG9uZQ==", "c1.dG9uZQ.", "c2.dG9uZQ", "c1.wyg"]) {
      let err: unknown;
      try {
        decodeCursor(junk);
      } catch (e) {
        err = e;
      }
      expect(err, junk).toBeInstanceOf(AppError);
      expect((err as AppError).message).toMatch(/^invalid cursor/);
      expect((err as AppError).details).toEqual({ field: "cursor" });
    }
  });
});
