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

describe("errorBodyFor: Langfuse's body on /api/public, Lectern's elsewhere", () => {
  it("a validation error on /api/public is Langfuse's `Invalid request data` with zod's issues; on /api/v1 it is unchanged", async () => {
    const { z } = await import("zod");
    const { AppError, errorBodyFor } = await import("./errors");
    const { zodToAppError } = await import("./validation");
    const r = z.object({ name: z.string().regex(/^[^/]/, "Name cannot start with a slash") }).safeParse({ name: "/x" });
    const { message, details } = zodToAppError(r.error!);
    const err = new AppError("invalid_input", message, details, { cause: r.error }); // as request-input.ts parseWith
    // A zod refusal inside a domain operation (no cause) keeps its own message, as Langfuse's InvalidRequestError.
    expect(errorBodyFor("/api/public/v2/prompts", zodToAppError(r.error!))).toMatchObject({
      message: "name: Name cannot start with a slash",
      error: "InvalidRequestError",
    });
    const langfuse = errorBodyFor("/api/public/v2/prompts", err) as { message: string; error: unknown; code: string };
    expect(langfuse.message).toBe("Invalid request data");
    expect(langfuse.error).toEqual([
      expect.objectContaining({ path: ["name"], message: "Name cannot start with a slash" }),
    ]);
    expect(langfuse.code).toBe("invalid_input");
    expect(errorBodyFor("/api/v1/prompts", err)).toEqual({
      error: {
        code: "invalid_input",
        message: "name: Name cannot start with a slash",
        details: { field: "name", issues: [{ path: "name", message: "Name cannot start with a slash" }] },
      },
    });
  });

  it("other errors on /api/public keep Langfuse's error name", async () => {
    const { AppError, errorBodyFor } = await import("./errors");
    expect(errorBodyFor("/api/public/v2/prompts/x", new AppError("not_found", "Prompt not found"))).toEqual({
      message: "Prompt not found",
      error: "LangfuseNotFoundError",
      code: "not_found",
    });
    expect(errorBodyFor("/api/public/v2/prompts", new AppError("invalid_input", "Label x cannot be used"))).toEqual({
      message: "Label x cannot be used",
      error: "InvalidRequestError",
      code: "invalid_input",
    });
  });
});

describe("the error shapes the OpenAPI document gives each path", () => {
  it("every body errorBodyFor answers, on every compatible system's routes and Lectern's, matches its shape", async () => {
    const { default: Ajv2020 } = await import("ajv/dist/2020");
    const { z } = await import("zod");
    const { AppError, compatErrorBodies, errorBodyFor, errorShapeFor, errorStatus, lecternErrorShape } =
      await import("./errors");
    const zodError = z.object({ name: z.string() }).safeParse({}).error;
    const errors = Object.keys(errorStatus).flatMap((code) => [
      new AppError(code as keyof typeof errorStatus, "m"),
      new AppError(code as keyof typeof errorStatus, "m", { field: "name" }, { cause: zodError }),
    ]);
    const paths = ["/api/v1/prompts", ...compatErrorBodies.map((c) => `${c.prefix}x`)];
    expect(errorShapeFor("/api/v1/prompts")).toBe(lecternErrorShape);
    const ajv = new Ajv2020({ strict: false });
    for (const path of paths) {
      const validate = ajv.compile(errorShapeFor(path).schema);
      for (const err of errors) expect(validate(errorBodyFor(path, err)), `${path} ${err.code}`).toBe(true);
      // The shape is the path's: another system's body does not pass for it.
      const other = paths.find((p) => errorShapeFor(p) !== errorShapeFor(path))!;
      expect(validate(errorBodyFor(other, errors[0]!)), `${path} refuses ${other}'s body`).toBe(false);
    }
  });
});

describe("errorBodyFor: PromptLayer's body on /api/compat/promptlayer", () => {
  it("is PromptLayer's ErrorResponse ({success: false, message, error}), with Lectern's code and details", async () => {
    const { AppError, errorBodyFor } = await import("./errors");
    const err = new AppError("conflict", "production requires an approved review", { rule: "requiresReview" });
    expect(errorBodyFor("/api/compat/promptlayer/rest/prompt-templates", err)).toEqual({
      success: false,
      message: "production requires an approved review",
      error: "conflict",
      code: "conflict",
      details: { rule: "requiresReview" },
    });
    // Only under its prefix: another system's path keeps its own shape.
    expect(errorBodyFor("/api/compat/promptlayerx", err)).toHaveProperty("error.code", "conflict");
  });
});
