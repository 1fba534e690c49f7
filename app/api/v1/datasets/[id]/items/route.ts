// GET /api/v1/datasets/{id}/items[?version=&offset=&limit=&tag=] and POST (add items: JSON {items} or
// {sampleIds}, text/csv, application/x-ndjson; all or nothing, 422 listing each bad row). Admin key.
import {
  listItems,
  listItemsInput,
  addItemsFromSamples,
  addSamplesInput,
  importItems,
  type ItemFormat,
} from "@/lib/evaluation/datasets";
import { AppError } from "@/lib/errors";
import { findUnsafeValue } from "@/lib/input-safety";
import { parseInput } from "@/lib/validation";
import { json, otherMethods, readTextBody, withApiKey } from "@/lib/server/http/api";

// 10,000 items with a few variables each fit comfortably.
const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

export const GET = withApiKey(
  "admin",
  { query: listItemsInput, action: "evaluation.read" },
  async ({ db, project, params, query }) => json(await listItems(db, project.id, params.id!, query)),
);

function formatOf(contentType: string | null): ItemFormat {
  const type = (contentType ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/x-jsonlines")
    return "jsonl";
  if (type === "application/json" || type === "") return "json";
  throw new AppError(
    "invalid_input",
    `Content-Type ${type} is not accepted: send application/json ({items}), text/csv or application/x-ndjson`,
    { field: "content-type" },
  );
}

export const POST = withApiKey("admin", {}, async ({ req, db, actor, project, params }) => {
  const format = formatOf(req.headers.get("content-type"));
  const text = await readTextBody(req, MAX_UPLOAD_BYTES);
  const ctx = { db, actor, projectId: project.id };
  let body: unknown = text;
  if (format === "json") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("invalid_input", "Request body is not valid JSON.");
    }
  }
  const unsafe = findUnsafeValue(body);
  if (unsafe) throw unsafe;
  if (format === "json" && body && typeof body === "object" && "sampleIds" in body) {
    const { sampleIds } = parseInput(addSamplesInput, body);
    const r = await addItemsFromSamples(ctx, params.id!, sampleIds);
    return json({ version: r.version, added: r.added }, 201);
  }
  return json(await importItems(ctx, params.id!, format, body), 201);
});

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
