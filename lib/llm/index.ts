// lib/llm: model calls for evaluation, the playground and online scoring. Framework-free: connections,
// keys and prices come in as arguments (the lead wires settings, the database and encryption keys).
export type * from "./types";
export {
  connectionDefaults,
  connectionSchema,
  createEmbeddingModel,
  createProviderModel,
  offersEmbeddings,
  parseConnection,
  providerKinds,
  type Connection,
  type ConnectionInput,
  type ProviderKind,
} from "./connection";
export { createModelCaller, systemClock, type Clock, type ModelCaller, type ModelCallerOptions } from "./model-caller";
export { callModel, embedTexts } from "./call-model";
export { createImageFetcher, ImageRefusal, type ImageFetcher, type ImageFetcherOptions } from "./image-fetch";
export { describeImagesIn, flattenContent, flattenMessages, messageImages } from "./flatten";
export {
  normalizeResponseFormat,
  normalizeTools,
  requestForVersion,
  toModelMessages,
  type VersionRequest,
  type VersionRequestOptions,
} from "./request";
export {
  costOf,
  defaultPrices,
  defaultPricesAsOf,
  findPrice,
  priceTableSchema,
  type ModelPrice,
  type PriceTable,
} from "./pricing";
export {
  backoffDelay,
  classifyError,
  defaultRetryPolicy,
  parseRetryAfter,
  retryDelay,
  type RetryPolicy,
} from "./retry";
export * from "./secrets";
export { Semaphore } from "./semaphore";
export { compileJsonSchema, formatSchemaErrors, type CompiledSchema } from "./json-schema";
