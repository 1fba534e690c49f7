import { describe, expect, it, vi } from "vitest";

describe("AppError across copies of lib/errors (Next chunks, the server bundle)", () => {
  it("an error made by one copy is an AppError for another, with its status", async () => {
    const first = await import("./errors");
    vi.resetModules();
    const second = await import("./errors");
    expect(second.AppError).not.toBe(first.AppError); // two copies, as in two bundles
    const e = new first.AppError("not_found", "No model connection x in this project.");
    expect(e instanceof second.AppError).toBe(true);
    expect(second.isAppError(e)).toBe(true);
    expect((e as InstanceType<typeof second.AppError>).status).toBe(404);
  });

  it("other errors and look-alikes are not AppErrors", async () => {
    const { AppError, isAppError } = await import("./errors");
    expect(isAppError(new Error("x"))).toBe(false);
    expect(isAppError({ name: "AppError", code: "not_found", message: "x" })).toBe(false);
    expect(isAppError(null)).toBe(false);
    const text: unknown = "x";
    expect(text instanceof AppError).toBe(false);
  });

  it("every error answer has one body: code and message, and details only when there are some", async () => {
    const { AppError, errorEnvelope } = await import("./errors");
    expect(errorEnvelope(new AppError("not_found", "No prompt x."))).toEqual({
      error: { code: "not_found", message: "No prompt x." },
    });
    expect(errorEnvelope(new AppError("invalid_input", "name is required", { field: "name" }))).toEqual({
      error: { code: "invalid_input", message: "name is required", details: { field: "name" } },
    });
  });
});
