// Project prices: overrides replaced, bad prices refused without writing, calls costed with them.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { modelPrices } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { getPriceSheet, replacePriceOverrides } from "./project-prices";
import { fx, other, setUpConnections, t } from "./connections.fixture";

setUpConnections();

describe("prices", () => {
  it("replaces the overrides, refuses bad prices without writing, and costs calls with them", async () => {
    const sheet = await replacePriceOverrides(fx.ctx(fx.admin), {
      prices: { "scripted-model": { inputPerMTok: 1000, outputPerMTok: 2000 } },
    });
    expect(sheet.overrides).toEqual({ "scripted-model": { inputPerMTok: 1000, outputPerMTok: 2000 } });
    expect(sheet.defaults["gpt-4o-mini"]).toBeDefined();
    const bad = await failure(
      replacePriceOverrides(fx.ctx(fx.admin), {
        prices: { "scripted-model": { inputPerMTok: -1, outputPerMTok: 0 } },
      }),
    );
    expect([bad.code, bad.message]).toEqual(["invalid_input", expect.stringContaining("price must not be negative")]);
    expect((await getPriceSheet(fx.ctx(fx.viewer))).overrides).toEqual(sheet.overrides);
    expect((await getPriceSheet(other.ctx(other.viewer))).overrides).toEqual({});
    expect(await t.db.select().from(modelPrices).where(eq(modelPrices.projectId, other.projectId))).toEqual([]);
  });
});
