import { describe, expect, it } from "vitest";
import { AppError } from "../errors";
import { checkCronAuth, cronClock } from "./cron-auth";

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

describe("cronClock: a cron route's ?at=", () => {
  it("is the wall clock without at=", () => {
    expect(cronClock(undefined, false)).toBeUndefined();
    expect(cronClock(undefined, true)).toBeUndefined();
  });
  it("is the time named, where the test setting allows it", () => {
    expect(cronClock("2030-01-02T03:04:05Z", true)!().toISOString()).toBe("2030-01-02T03:04:05.000Z");
  });
  it.each([
    ["2030-01-02T03:04:05Z", false, /test setting \(LECTERN_TEST_CLOCK\)/],
    ["tomorrow", true, /at must be an ISO 8601 time/],
    ["2030-13-45T99:00Z", true, /at must be an ISO 8601 time/],
    ["1700000000000", true, /at must be an ISO 8601 time/],
  ])("%j (allowed %j) is refused, naming the field", (at, allowed, message) => {
    expect(() => cronClock(at, allowed)).toThrow(message);
    try {
      cronClock(at, allowed);
    } catch (e) {
      expect((e as AppError).details).toEqual({ field: "at" });
    }
  });
});
