// API for the UI (lib/evaluation/datasets). All functions take the database or a DomainContext
// ({db, actor, projectId}); a dataset is named by id or name (`ref`).
//   createDataset(ctx, {name, prompt?, description?}) → DatasetRow      listDatasets(db, projectId, {prompt?}) → DatasetDto[]
//   getDatasetRow(db, projectId, ref) → DatasetRow; datasetDto(db, row) → {id, name, description, prompt, version, items}
//   getDataset(db, projectId, ref) → DatasetDto
//   updateDataset(ctx, ref, {name?, description?, prompt?}); deleteDataset(ctx, ref) (409 while a gate uses it)
//   importItems(ctx, ref, "json" | "csv" | "jsonl", body) → {version, added}   (422 details.errors: [{row, field?, message}])
//   addUploadedItems(ctx, ref, {contentType, read}) → {version, added}: an HTTP upload, its format from the Content-Type
//   addItems(ctx, ref, items) (already parsed, e.g. the playground's "save case"), addItemsFromSamples(ctx, ref, sampleIds)
//   updateDatasetItem(ctx, ref, itemId, patch) → {version, item (new revision id)}; removeItems(ctx, ref, itemIds) → {version, removed}
//   restoreDatasetVersion(ctx, ref, version?) → {version, restored}: undo (a new version with an earlier version's items)
//   listDatasetVersions(db, projectId, ref, {limit?}) → [{version, itemCount, change, by, at, sameItemsAs}], newest first
//   listDatasetItems(db, projectId, ref, {version?, offset?, limit?, tag?}) → {version, total, items: ItemDto[]}
//   exportDataset(db, projectId, ref, "csv" | "jsonl", version?) → {body, contentType, filename}
// Every item change makes a new dataset version; runs pin a version (itemsAtVersion).
export * from "./datasets";
export * from "./items";
export * from "./item-edits";
export * from "./item-reads";
export { listDatasetVersions, type DatasetVersionDto } from "./dataset-versions";
export { addedItemsResponse, addItemsJsonBody, addUploadedItems, MAX_UPLOAD_BYTES, type ItemUpload } from "./upload";
export {
  itemsToCsv,
  itemsToJsonl,
  parseCsvItems,
  parseJsonItems,
  parseJsonlItems,
  parseCell,
  maxItemsPerUpload,
  type DatasetItemInput,
  type DeclaredVariable,
  type RowError,
} from "./parse";
