// What a webhook is configured with: the operator's settings, and what an admin may give on create.
import { z } from "zod";
import type { Resolver } from "../net/ssrf";
import { webhookEvents } from "./events";

export type WebhookConfig = {
  /** LECTERN_ENCRYPTION_KEY: 32 bytes. */
  encryptionKey: Uint8Array;
  /** LECTERN_WEBHOOK_ALLOW_PRIVATE: allow loopback, private and link-local targets (tests, closed networks). */
  allowPrivate: boolean;
  /** Host name resolution (tests inject answers; default: the system resolver). */
  resolver?: Resolver;
  /** Per-attempt timeout; default 10 s. */
  timeoutMs?: number;
};

export const MAX_WEBHOOKS_PER_PROJECT = 20;
export const webhookFormats = ["json", "slack"] as const;

export const createWebhookInput = z.object({
  url: z
    .string({ error: "url is required" })
    .trim()
    .min(1, { error: "url is required" })
    .max(2000, { error: "url must be at most 2000 characters" }),
  events: z
    .array(z.enum(webhookEvents, { error: `events must each be one of ${webhookEvents.join(", ")}` }), {
      error: "events must be a list of event types",
    })
    .min(1, { error: "events must name at least one event" })
    .max(webhookEvents.length, { error: "events lists an event more than once" })
    .refine((a) => new Set(a).size === a.length, { error: "events lists an event more than once" }),
  description: z
    .string({ error: "description must be text" })
    .trim()
    .max(500, { error: "description must be at most 500 characters" })
    .default(""),
  format: z.enum(webhookFormats, { error: `format must be one of ${webhookFormats.join(", ")}` }).default("json"),
});
