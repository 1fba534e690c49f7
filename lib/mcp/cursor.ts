// The cursors of MCP's paged lists (prompts/list, resources/list): opaque to the client, as the protocol says,
// and checked, so that a cursor this server never gave is -32602 "invalid cursor" rather than a wrong page (a
// junk cursor read as a name used to answer an empty list, as if there were nothing).
import { AppError } from "../errors";

const prefix = "c1.";

/** The cursor of the page after `last` (the last name or URI of this page). */
export const encodeCursor = (last: string): string => prefix + Buffer.from(last, "utf8").toString("base64url");

/** What a cursor says (the last name or URI of the page before), or invalid_input naming the cursor. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  // An empty cursor is the first page, as no cursor is (some clients send one).
  if (cursor === undefined || cursor === "") return undefined;
  const body = cursor.startsWith(prefix) ? cursor.slice(prefix.length) : "";
  const last = /^[A-Za-z0-9_-]{1,2000}$/.test(body) ? Buffer.from(body, "base64url").toString("utf8") : "";
  // Only a cursor this server makes reads back to itself (no other spelling of the same bytes, no broken text).
  if (!last || encodeCursor(last) !== cursor)
    throw new AppError(
      "invalid_input",
      "invalid cursor: give the nextCursor of the page before, as it was sent, or none for the first page.",
      { field: "cursor" },
    );
  return last;
}
