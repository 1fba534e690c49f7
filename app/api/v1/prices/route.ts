// GET /api/v1/prices (the default price table, its date, and the project's overrides) and PUT /api/v1/prices {prices: {<model>: {inputPerMTok, outputPerMTok}}} (replace the overrides). Admin key.
import { getPriceSheet, setPrices, setPricesInput } from "@/lib/llm/project-prices";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "evaluation.read" }, async ({ db, actor, project }) =>
  json(await getPriceSheet(db, actor, project.id)),
);

export const PUT = withApiKey(
  "admin",
  { body: setPricesInput, action: "settings.manage" },
  async ({ db, actor, project, body }) => json(await setPrices(db, actor, project.id, body)),
);

export const { POST, PATCH, DELETE } = otherMethods("GET", "PUT");
