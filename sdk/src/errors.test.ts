import { describe, expect, it } from "vitest";
import {
  errorFromResponse,
  isTransient,
  LecternAuthError,
  LecternError,
  LecternNetworkError,
  LecternNotFoundError,
  LecternValidationError,
} from "./errors";

const body = (code: string, details?: object) => JSON.stringify({ error: { code, message: `m ${code}`, details } });

describe("errorFromResponse", () => {
  it.each([
    [404, body("not_found", { prompt: "x" }), LecternNotFoundError, "not_found"],
    [404, body("not_deployed"), LecternNotFoundError, "not_deployed"],
    [401, body("unauthorized"), LecternAuthError, "unauthorized"],
    [403, body("forbidden"), LecternAuthError, "forbidden"],
    [422, body("missing_variables", { missing: ["a"] }), LecternValidationError, "missing_variables"],
    [422, body("invalid_variables"), LecternValidationError, "invalid_variables"],
    [422, body("unprocessable"), LecternError, "unprocessable"],
    [400, body("invalid_input"), LecternError, "invalid_input"],
    [429, body("rate_limited"), LecternError, "rate_limited"],
    [503, body("unavailable"), LecternError, "unavailable"],
    // Bodies that are not Lectern's (a proxy's page): the status decides.
    [401, "<html>denied</html>", LecternAuthError, "unauthorized"],
    [404, "", LecternNotFoundError, "not_found"],
    [502, "Bad gateway", LecternError, "unavailable"],
    [418, "teapot", LecternError, "http_error"],
  ])("%i %s", (status, text, cls, code) => {
    const e = errorFromResponse(status, text);
    expect(e).toBeInstanceOf(cls);
    expect(e).toBeInstanceOf(LecternError);
    expect(e.code).toBe(code);
    expect(e.status).toBe(status);
  });

  it("keeps the server's message and details", () => {
    const e = errorFromResponse(422, body("missing_variables", { missing: ["a", "b"] })) as LecternValidationError;
    expect(e.message).toBe("m missing_variables");
    expect(e.missing).toEqual(["a", "b"]);
    expect(e.invalid).toEqual([]);
    expect(e.name).toBe("LecternValidationError");
  });
});

describe("isTransient (may a fallback be served instead?)", () => {
  it.each([
    [new LecternNetworkError("x", { code: "timeout" }), true],
    [errorFromResponse(500, ""), true],
    [errorFromResponse(503, body("unavailable")), true],
    [errorFromResponse(429, body("rate_limited")), true],
    [errorFromResponse(404, body("not_found")), false],
    [errorFromResponse(401, body("unauthorized")), false],
    [errorFromResponse(403, body("forbidden")), false],
    [errorFromResponse(400, body("invalid_input")), false],
    [new Error("plain"), false],
  ])("%s → %s", (e, expected) => {
    expect(isTransient(e)).toBe(expected);
  });
});
