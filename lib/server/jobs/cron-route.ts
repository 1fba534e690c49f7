import "server-only";
import type { NextRequest } from "next/server";
import { checkCronAuth, cronClock, runCron, sqlDriver } from "@/lib/jobs";
import { AppError } from "@/lib/errors";
import { errorResponse, json } from "../http/api";
import { getDatabase } from "../wiring/db";
import { env } from "../wiring/env";
import { toAppError } from "../http/http-errors";
import { jobRegistry, readyJobs } from "./jobs";
import { log } from "../wiring/log";

/** GET|POST /api/cron/{name}: runs a cron job now under its lock, for hosts that schedule HTTP calls (Vercel Cron). */
export async function cronRoute(req: NextRequest, name: string): Promise<Response> {
  switch (checkCronAuth(req.headers.get("authorization"), env().CRON_SECRET)) {
    case "not_configured":
      return errorResponse(new AppError("unavailable", "Scheduled-job routes are off: set CRON_SECRET to use them."));
    case "unauthorized":
      return errorResponse(new AppError("unauthorized", "Send the header Authorization: Bearer <CRON_SECRET>."), {
        "www-authenticate": 'Bearer realm="cron"',
      });
  }
  const def = jobRegistry().cron(name);
  if (!def)
    return errorResponse(
      new AppError("not_found", `No cron job named ${name}.`, {
        jobs: jobRegistry()
          .crons()
          .map((c) => c.name),
      }),
    );
  try {
    const { at, ...params } = Object.fromEntries(req.nextUrl.searchParams);
    const database = await getDatabase();
    const outcome = await runCron(def, {
      db: database.db,
      driver: sqlDriver(database),
      jobs: readyJobs(),
      log,
      params,
      now: cronClock(at, env().LECTERN_TEST_CLOCK),
    });
    return json(outcome);
  } catch (e) {
    return errorResponse(toAppError(e, `cron ${name}`));
  }
}
