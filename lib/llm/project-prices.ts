// A project's price overrides (USD per million tokens), stored one row per model. They are consulted
// before lib/llm's default table when a call's cost is computed (see pricing.ts findPrice).
import type { DomainContext } from "../context";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { modelPrices } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { parseInput } from "../validation";
import { defaultPrices, defaultPricesAsOf, priceTableSchema, type PriceTable } from "./pricing";

export const MAX_PRICE_OVERRIDES = 500;

export const setPricesInput = z
  .object({
    prices: priceTableSchema.refine((t) => Object.keys(t).length <= MAX_PRICE_OVERRIDES, {
      error: `prices may list at most ${MAX_PRICE_OVERRIDES} models`,
    }),
  })
  .strict();

const priceRecord = z.record(z.string(), z.object({ inputPerMTok: z.number(), outputPerMTok: z.number() }));
/** GET and PUT /api/v1/prices: the default table, the date it was checked, and the project's overrides. */
export const priceSheetSchema = z.object({ asOf: z.string(), defaults: priceRecord, overrides: priceRecord });

export type PriceSheet = { asOf: string; defaults: PriceTable; overrides: PriceTable };

/** The project's overrides, for callers (no permission check: used when computing costs). */
export async function projectPrices(db: Db, projectId: string): Promise<PriceTable> {
  const rows = await db
    .select()
    .from(modelPrices)
    .where(eq(modelPrices.projectId, projectId))
    .orderBy(modelPrices.model);
  return Object.fromEntries(
    rows.map((r) => [r.model, { inputPerMTok: r.inputPerMTok, outputPerMTok: r.outputPerMTok }]),
  );
}

export async function getPriceSheet(ctx: DomainContext): Promise<PriceSheet> {
  const { db, projectId } = ctx;
  return { asOf: defaultPricesAsOf, defaults: { ...defaultPrices }, overrides: await projectPrices(db, projectId) };
}

/** Replaces the project's overrides with `prices` (an empty object removes them all). */
export async function replacePriceOverrides(ctx: DomainContext, input: unknown): Promise<PriceSheet> {
  const { db, actor, projectId } = ctx;
  const { prices } = parseInput(setPricesInput, input);
  const before = await projectPrices(db, projectId);
  await db.transaction(async (tx) => {
    await tx.delete(modelPrices).where(eq(modelPrices.projectId, projectId));
    const rows = Object.entries(prices).map(([model, p]) => ({
      projectId,
      model,
      inputPerMTok: p.inputPerMTok,
      outputPerMTok: p.outputPerMTok,
      updatedAt: sql`now()`,
    }));
    if (rows.length) await tx.insert(modelPrices).values(rows);
    await recordAudit(tx, {
      projectId,
      actor,
      action: "prices.update",
      objectType: "project",
      objectId: projectId,
      before,
      after: prices,
    });
  });
  return { asOf: defaultPricesAsOf, defaults: { ...defaultPrices }, overrides: await projectPrices(db, projectId) };
}

const _sheet: (p: PriceSheet) => z.input<typeof priceSheetSchema> = (p) => p;
void _sheet;
