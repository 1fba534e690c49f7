// One error type for the whole product, with a short closed set of codes (CONTRIBUTING.md, "One error shape").
// The code → HTTP status table lives here and nowhere else.
// Over 300 lines: every error body the product answers sits beside the one code table — Lectern's shape and each
// compatible system's (compatErrorBodies) — so that a code's status and its bodies are changed in one place.

export const errorStatus = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  not_deployed: 404,
  method_not_allowed: 405,
  conflict: 409,
  gate_failed: 409,
  rolled_back: 409,
  plan_unmet: 409,
  experiment_running: 409,
  payload_too_large: 413,
  unprocessable: 422,
  missing_variables: 422,
  invalid_variables: 422,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

// A brand shared by every copy of this module: Next bundles lib/ into several chunks (routes,
// instrumentation) and `npm start` adds its own bundle, and per-process singletons on globalThis (the
// runtime, the model-caller resolver) throw errors made by whichever copy created them. `instanceof
// AppError` must recognise those too, or a refusal would surface as a 500.
const brand = Symbol.for("lectern.AppError");

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  /** `options.cause`: what led to it, never in Lectern's own answer (a request schema's ZodError: Langfuse's routes show its issues). */
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AppError";
    this.code = code;
    this.details = details;
    Object.defineProperty(this, brand, { value: true });
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** The body every error answer has, over HTTP and SSE alike: `{error: {code, message, details?}}`. */
export type ErrorEnvelope = { error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

/** The one place an error becomes its body (lib/server/http/api.ts, the fast path, the connection caps). */
export function errorEnvelope(err: AppError): ErrorEnvelope {
  return { error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
}

/**
 * The body of an error on the Langfuse-compatible routes (/api/public/…), as Langfuse answers them and its
 * clients and tests read them: `{message, error: <Langfuse's error name>}`, or for input its schema refused
 * `{message: "Invalid request data", error: <the zod issues>}`, with Lectern's code and details beside them
 * for callers that want more.
 */
export type LangfuseErrorBody = {
  message: string;
  error: string | readonly unknown[];
  code: ErrorCode;
  details?: Record<string, unknown>;
};

const langfuseNames: Partial<Record<number, string>> = {
  400: "InvalidRequestError",
  401: "UnauthorizedError",
  403: "ForbiddenError",
  404: "LangfuseNotFoundError",
  405: "MethodNotAllowedError",
  409: "LangfuseConflictError",
  422: "InvalidRequestError",
  500: "InternalServerError",
  503: "ServiceUnavailableError",
};

/** The zod issues of a request its endpoint's schema refused (request-input.ts keeps the ZodError as the cause). */
function validationIssues(err: AppError): readonly unknown[] | undefined {
  const issues = (err.cause as { issues?: unknown } | undefined)?.issues;
  return err.code === "invalid_input" && Array.isArray(issues) ? issues : undefined;
}

export function langfuseErrorBody(err: AppError): LangfuseErrorBody {
  // Langfuse's public API answers a ZodError this way (withMiddlewares), and its tests and clients read the
  // issues' messages: the same words are in Lectern's message and details.
  const issues = validationIssues(err);
  return {
    message: issues ? "Invalid request data" : err.message,
    error: issues ?? langfuseNames[err.status] ?? "ApiError",
    code: err.code,
    ...(err.details ? { details: err.details } : {}),
  };
}

/**
 * The body of an error on the Pezzo-compatible routes (/api/compat/pezzo/…), as Pezzo's NestJS server answers
 * (an HttpException: `{statusCode, message, error: <the status's reason>}`): Pezzo's client throws `message`
 * from getPrompt and logs the body elsewhere. Lectern's code and details ride beside them.
 */
export type PezzoErrorBody = {
  statusCode: number;
  message: string;
  error: string;
  code: ErrorCode;
  details?: Record<string, unknown>;
};

const httpReasons: Partial<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

export function pezzoErrorBody(err: AppError): PezzoErrorBody {
  return {
    statusCode: err.status,
    message: err.message,
    error: httpReasons[err.status] ?? "Error",
    code: err.code,
    ...(err.details ? { details: err.details } : {}),
  };
}

/** Where the Langfuse-compatible API lives: its errors take Langfuse's shape. */
export const isLangfusePath = (pathname: string) => pathname.startsWith("/api/public/");

/** An error body's shape: its name in the OpenAPI document's components, and its JSON Schema (2020-12). */
export type ErrorShape = { name: string; schema: Record<string, unknown> };

const errorCodes = Object.keys(errorStatus);
const details = { type: "object", description: "What the message names, for programs (field, limit, missing, …)" };

/** Lectern's one error shape (ErrorEnvelope), as the OpenAPI document shows it. */
export const lecternErrorShape: ErrorShape = {
  name: "LecternError",
  schema: {
    type: "object",
    description: "Lectern's error body: a code from a short closed set, a message for people, details for programs",
    properties: {
      error: {
        type: "object",
        properties: { code: { enum: errorCodes }, message: { type: "string" }, details },
        required: ["code", "message"],
      },
    },
    required: ["error"],
  },
};

const langfuseErrorShape: ErrorShape = {
  name: "LangfuseError",
  schema: {
    type: "object",
    description: "Langfuse's error body (LangfuseErrorBody), with Lectern's code and details beside it",
    properties: {
      message: { type: "string" },
      error: {
        oneOf: [
          { type: "string", description: "Langfuse's error name, e.g. LangfuseNotFoundError" },
          {
            type: "array",
            items: { type: "object" },
            description: 'The zod issues, when message is "Invalid request data"',
          },
        ],
      },
      code: { enum: errorCodes },
      details,
    },
    required: ["message", "error", "code"],
  },
};

/**
 * The body of an error on the PromptLayer-compatible routes (/api/compat/promptlayer/…), as PromptLayer's
 * ErrorResponse has it and its clients read it (JS: `message || error`; Python: `message`, `error`, `detail`):
 * `{success: false, message, error}`, with Lectern's code and details beside them.
 */
export function promptLayerErrorBody(err: AppError) {
  return {
    success: false,
    message: err.message,
    error: err.code,
    code: err.code,
    ...(err.details ? { details: err.details } : {}),
  };
}

const promptLayerErrorShape: ErrorShape = {
  name: "PromptLayerError",
  schema: {
    type: "object",
    description: "PromptLayer's ErrorResponse, with Lectern's code and details beside it",
    properties: {
      success: { const: false },
      message: { type: "string" },
      error: { type: "string", description: "Lectern's error code" },
      code: { enum: errorCodes },
      details,
    },
    required: ["success", "message", "error", "code"],
  },
};

const pezzoErrorShape: ErrorShape = {
  name: "PezzoError",
  schema: {
    type: "object",
    description: "Pezzo's error body (a NestJS HttpException), with Lectern's code and details beside it",
    properties: {
      statusCode: { type: "integer" },
      message: { type: "string" },
      error: { type: "string", description: "The status's reason, e.g. Not Found" },
      code: { enum: errorCodes },
      details,
    },
    required: ["statusCode", "message", "error", "code"],
  },
};

/**
 * LangSmith's FastAPI `{detail}` on /api/compat/langsmith/… (its clients throw the body), with Lectern's code and
 * message beside it (the message is the detail: what every other shape names `message`).
 */
const langSmithErrorBody = (err: AppError) => ({
  detail: err.message,
  message: err.message,
  code: err.code,
  details: err.details,
});
const langSmithErrorShape: ErrorShape = {
  name: "LangSmithError",
  schema: {
    type: "object",
    description: "LangSmith's error body (FastAPI's detail), with Lectern's code, message and details beside it",
    properties: { detail: { type: "string" }, message: { type: "string" }, code: { enum: errorCodes }, details },
    required: ["detail", "message", "code"],
  },
};

/**
 * The compatibility APIs whose clients read another system's error shape, by path prefix: one row per system,
 * with the shape the OpenAPI document gives its routes' errors (errors.test.ts checks each body against it).
 * Everything else answers Lectern's one shape.
 */
export const compatErrorBodies: ReadonlyArray<{ prefix: string; body: (err: AppError) => object; shape: ErrorShape }> =
  [
    { prefix: "/api/public/", body: langfuseErrorBody, shape: langfuseErrorShape },
    { prefix: "/api/compat/pezzo/", body: pezzoErrorBody, shape: pezzoErrorShape },
    { prefix: "/api/compat/promptlayer/", body: promptLayerErrorBody, shape: promptLayerErrorShape },
    { prefix: "/api/compat/langsmith/", body: langSmithErrorBody, shape: langSmithErrorShape },
  ];

const compatFor = (pathname: string | undefined) =>
  pathname === undefined ? undefined : compatErrorBodies.find((c) => pathname.startsWith(c.prefix));

/** The error body for a request's path: a compatible system's on its routes, Lectern's one shape elsewhere. */
export function errorBodyFor(pathname: string | undefined, err: AppError): object {
  const compat = compatFor(pathname);
  return compat ? compat.body(err) : errorEnvelope(err);
}

/** The shape of the error bodies a path answers (errorBodyFor's), for the OpenAPI document. */
export const errorShapeFor = (pathname: string): ErrorShape => compatFor(pathname)?.shape ?? lecternErrorShape;

/** The SQLSTATE of a PostgreSQL error, looking through wrappers (Drizzle wraps driver errors in `cause`). */
export function pgErrorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a PostgreSQL error names, if any. */
export function pgConstraint(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const c = (cur as { constraint?: unknown }).constraint;
    if (typeof c === "string") return c;
    cur = (cur as { cause?: unknown }).cause;
  }
  return undefined;
}

export const isUniqueViolation = (e: unknown) => pgErrorCode(e) === "23505";
