import { reportPezzoExecution } from "@/lib/compat/pezzo/report";
import { projectPrices } from "@/lib/llm/project-prices";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/pezzo";
import { pezzoCaller } from "@/lib/server/http/pezzo-caller";
import { chargeIngest } from "@/lib/server/http/runtime-ingest";

export const POST = route(endpoints.pezzoReportExecution, async (c) => {
  // Budgets are per key, as POST /api/v1/events charges them (only API keys reach this route).
  chargeIngest("id" in c.actor ? c.actor.id : c.actor.label, JSON.stringify(c.body).length);
  const prices = await projectPrices(c.db, c.project.id);
  return json(await reportPezzoExecution(c.db, pezzoCaller(c), c.body, prices), 202);
});

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
