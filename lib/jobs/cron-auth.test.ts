import { describe, expect, it } from "vitest";
import { checkCronAuth } from "./cron-auth";

const secret = "cron-secret-0123456789";

describe("checkCronAuth", () => {
  it.each([
    [`Bearer ${secret}`, secret, "ok"],
    [`bearer ${secret}`, secret, "ok"],
    [`Bearer  ${secret} `, secret, "ok"],
    [`Bearer ${secret}x`, secret, "unauthorized"],
    [`Bearer ${secret.slice(0, -1)}`, secret, "unauthorized"],
    [`Basic ${Buffer.from(`x:${secret}`).toString("base64")}`, secret, "unauthorized"],
    [secret, secret, "unauthorized"],
    ["Bearer", secret, "unauthorized"],
    ["", secret, "unauthorized"],
    [null, secret, "unauthorized"],
    [`Bearer ${secret} extra`, secret, "unauthorized"],
    [`Bearer ${secret}`, undefined, "not_configured"],
    [null, undefined, "not_configured"],
    [`Bearer ${secret}`, "", "not_configured"],
  ])("%j with secret %j → %s", (header, configured, expected) => {
    expect(checkCronAuth(header, configured)).toBe(expected);
  });
});
