// Datasets seeded for the evaluation specs, through lib/ as the product adds them.
import { addItems, createDataset } from "../lib/evaluation/datasets";
import { systemCtx, type Seeded } from "./fixtures";

type ItemInput = Parameters<typeof addItems>[2][number];
type Item = Omit<ItemInput, "tags" | "metadata"> & Partial<Pick<ItemInput, "tags" | "metadata">>;

/** Creates a dataset and adds `items` to it (no tags or metadata unless given), with addItems' `opts`. */
export async function seedDataset(
  seeded: Seeded,
  dataset: Parameters<typeof createDataset>[1],
  items: Item[],
  opts?: Parameters<typeof addItems>[3],
) {
  const ctx = systemCtx(seeded);
  const ds = await createDataset(ctx, dataset);
  await addItems(
    ctx,
    ds.id,
    items.map((item) => ({ tags: [], metadata: {}, ...item })),
    opts,
  );
  return ds;
}
