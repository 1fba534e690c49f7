// One delivery attempt: claim the row, POST the signed body (10 s, no redirects, only to public
// addresses), record the outcome and when to try again. The row is the durable truth; jobs and the
// periodic sweep only decide when an attempt happens, and the claim keeps two from overlapping and each
// project to its share of attempts in flight (turns.ts).
import http from "node:http";
import https from "node:https";
import { isIPv4, isIPv6 } from "node:net";
import { sql } from "drizzle-orm";
import { inTransaction, type Db } from "../../db/client";
import { DELIVERY_TIMEOUT_MS, nextAttemptAt } from "./backoff";
import type { WebhookEvent } from "./events";
import { signatureHeader, SIGNATURE_HEADER } from "./signature";
import { slackMessage } from "./slack";
import { assertPublic, bareHost, BlockedAddressError, guardedLookup, type Resolver } from "../net/ssrf";
import { webhookSecret } from "./summaries";
import { claimDelivery, dueByTurns } from "./turns";
import type { WebhookConfig } from "./webhook-config";

export type PostResult = { statusCode: number | null; error: string | null; ok: boolean };

const USER_AGENT = "Lectern-Webhooks/1";

/**
 * POSTs a body to a webhook URL. Never follows redirects; refuses non-public addresses (unless
 * allowed) on the address the socket connects to; gives up after `timeoutMs` in total.
 */
export function postWebhook(
  target: string,
  body: string,
  headers: Record<string, string>,
  opts: { allowPrivate: boolean; resolver?: Resolver; timeoutMs?: number },
): Promise<PostResult> {
  const timeoutMs = opts.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(target);
      if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`unsupported scheme ${url.protocol}`);
      const host = bareHost(url);
      // Literal addresses never go through lookup: check them here.
      if (isIPv4(host) || isIPv6(host))
        assertPublic(host, [{ address: host, family: isIPv4(host) ? 4 : 6 }], opts.allowPrivate);
    } catch (e) {
      return resolve({
        ok: false,
        statusCode: null,
        error: e instanceof BlockedAddressError ? `refused: ${e.message}` : (e as Error).message,
      });
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let settled = false;
    const done = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const request = (url.protocol === "https:" ? https : http).request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(body)),
          "user-agent": USER_AGENT,
          ...headers,
        },
        lookup: guardedLookup({ allowPrivate: opts.allowPrivate, resolver: opts.resolver }),
        agent: false,
        signal: controller.signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          if (size < 512) chunks.push(c);
          size += c.length;
        });
        res.on("end", () => {
          if (status >= 200 && status < 300) return done({ ok: true, statusCode: status, error: null });
          const text = Buffer.concat(chunks).toString("utf8").slice(0, 200).replace(/\s+/g, " ").trim();
          const error =
            status >= 300 && status < 400
              ? `redirect (HTTP ${status}${res.headers.location ? ` to ${String(res.headers.location).slice(0, 200)}` : ""}) not followed`
              : `HTTP ${status}${text ? `: ${text}` : ""}`;
          done({ ok: false, statusCode: status, error });
        });
        res.on("error", (e) => done({ ok: false, statusCode: status, error: e.message }));
      },
    );
    request.on("error", (e) => {
      const cause = (e as { cause?: unknown }).cause;
      if (controller.signal.aborted)
        return done({ ok: false, statusCode: null, error: `no answer within ${timeoutMs / 1000} s` });
      if (e instanceof BlockedAddressError)
        return done({ ok: false, statusCode: null, error: `refused: ${e.message}` });
      done({ ok: false, statusCode: null, error: cause instanceof Error ? cause.message : e.message });
    });
    request.end(body);
  });
}

export type AttemptOutcome =
  | { deliveryId: string; status: "skipped" | "deferred" }
  | {
      deliveryId: string;
      status: "delivered" | "retrying" | "failed";
      attempts: number;
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date | null;
    };

/** The body a webhook receives for an event, byte for byte as signed. */
export const bodyFor = (format: "json" | "slack", event: WebhookEvent) =>
  JSON.stringify(format === "slack" ? slackMessage(event) : event);

/**
 * Attempts one delivery if it is due, nobody else is attempting it and its project has a place free (turns.ts;
 * "deferred" when not); records the outcome.
 */
export async function attemptDelivery(db: Db, deliveryId: string, config: WebhookConfig): Promise<AttemptOutcome> {
  const claim = await claimDelivery(db, deliveryId);
  if (claim.kind !== "claimed") return { deliveryId, status: claim.kind };
  const row = claim.row;
  let result: PostResult;
  if (row.disabled_at) result = { ok: false, statusCode: null, error: "the webhook was deleted" };
  else {
    const body = bodyFor(row.format, row.payload);
    const t = Math.floor(Date.now() / 1000);
    const secret = webhookSecret({ id: row.webhook_id, secret: row.secret }, config.encryptionKey);
    result = await postWebhook(
      row.url,
      body,
      {
        [SIGNATURE_HEADER]: signatureHeader(secret, body, t),
        "lectern-event": row.payload.type,
        "lectern-delivery": row.id,
      },
      config,
    );
  }
  const next = result.ok || row.disabled_at ? null : nextAttemptAt(new Date(row.created_at), row.attempts, new Date());
  const status = result.ok ? "delivered" : next ? "retrying" : "failed";
  await db.execute(
    sql`update webhook_deliveries set
          status = ${status}, last_status_code = ${result.statusCode}, last_error = ${result.error ? result.error.slice(0, 500) : null},
          next_attempt_at = ${next ? next.toISOString() : null}::timestamptz, delivered_at = ${result.ok ? sql`now()` : null},
          claimed_until = null
        where id = ${row.id}`,
  );
  return {
    deliveryId,
    status,
    attempts: row.attempts,
    statusCode: result.statusCode,
    error: result.error,
    nextAttemptAt: next,
  };
}

/**
 * Attempts due deliveries (turns.ts: projects in turn, each one's oldest first), a few projects at a time and
 * one project's one after another: the sweep, and the only sender on hosts without workers.
 */
export async function deliverDue(db: Db, config: WebhookConfig, opts: { limit?: number; concurrency?: number } = {}) {
  const projects = await dueByTurns(db, opts.limit ?? 20);
  const counts = { attempted: 0, delivered: 0, retrying: 0, failed: 0, skipped: 0, deferred: 0 };
  const outcomes: AttemptOutcome[] = [];
  const worker = async () => {
    for (let ids = projects.shift(); ids; ids = projects.shift())
      for (const id of ids) {
        const o = await attemptDelivery(db, id, config);
        outcomes.push(o);
        counts[o.status]++;
        if (o.status !== "skipped" && o.status !== "deferred") counts.attempted++;
      }
  };
  await Promise.all(
    Array.from({ length: Math.min(inTransaction(db) ? 1 : (opts.concurrency ?? 4), projects.length) }, worker),
  );
  return { ...counts, outcomes };
}
