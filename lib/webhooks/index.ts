// Outgoing webhooks: events from the audit log, signed deliveries with retries, SSRF guards.
export * from "./events";
export * from "./webhooks";
export * from "./deliveries";
export { auditBacklog, dispatchAuditEvents, type DispatchResult } from "./dispatch";
export { attemptDelivery, bodyFor, deliverDue, postWebhook, type AttemptOutcome, type PostResult } from "./deliver";
export { signatureHeader, verifySignature, SIGNATURE_HEADER, type VerifyResult } from "./signature";
export {
  classifyAddress,
  checkHost,
  guardedLookup,
  systemResolver,
  BlockedAddressError,
  type AddressKind,
  type Resolver,
} from "../net/ssrf";
export { nextAttemptAt, retryDelaySeconds, DELIVERY_TIMEOUT_MS, RETRY_WINDOW_MS } from "./backoff";
export { slackMessage } from "./slack";
export { webhookJobs, watchAudit, dispatchJob, deliverJob } from "./webhook-jobs";
