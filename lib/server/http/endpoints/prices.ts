// The endpoints of the project's model prices: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { priceSheetSchema, setPricesInput } from "@/lib/llm/project-prices";
import { endpoint } from "../endpoint";

export const getPriceSheet = endpoint({
  method: "GET",
  path: "/api/v1/prices",
  summary:
    "Model prices in USD per million tokens: the default table (and the date it was checked) and the project's overrides",
  scope: "admin",
  permission: "evaluation.read",
  response: priceSheetSchema,
});

export const replacePriceOverrides = endpoint({
  method: "PUT",
  path: "/api/v1/prices",
  summary: "Replace the project's price overrides; they apply before the defaults to every cost Lectern computes",
  scope: "admin",
  permission: "settings.manage",
  body: setPricesInput,
  response: priceSheetSchema,
});
