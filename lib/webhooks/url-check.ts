// Where a webhook may point: http(s) only, and (unless the operator allows private ones) a public address.
import { AppError } from "../errors";
import { BlockedAddressError, checkHost } from "../net/ssrf";
import type { WebhookConfig } from "./webhook-config";

/** Parses and checks a webhook URL: http(s) only, and (unless allowed) a public address. */
export async function checkWebhookUrl(
  raw: string,
  config: Pick<WebhookConfig, "allowPrivate" | "resolver">,
): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError("invalid_input", "url must be an absolute http:// or https:// URL", { field: "url" });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new AppError("invalid_input", "url must use http:// or https://", { field: "url" });
  if (!url.hostname) throw new AppError("invalid_input", "url must name a host", { field: "url" });
  try {
    await checkHost(url, config);
  } catch (e) {
    if (e instanceof BlockedAddressError)
      throw new AppError(
        "unprocessable",
        `url is refused: ${e.message}. Webhooks may only reach public addresses (set LECTERN_WEBHOOK_ALLOW_PRIVATE=true to allow private ones).`,
        {
          field: "url",
          address: e.address,
          kind: e.kind,
        },
      );
    throw new AppError("unprocessable", `url is refused: its host ${url.hostname} could not be resolved.`, {
      field: "url",
    });
  }
  return url;
}
