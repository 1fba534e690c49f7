// Typed errors. Every error the SDK throws or reports is a LecternError; the subclasses are the
// cases an application handles differently: fix the name, fix the key, fix the variables, or retry.

export interface LecternErrorOptions {
  code: string;
  /** The HTTP status the server answered with; undefined when no answer arrived. */
  status?: number;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class LecternError extends Error {
  readonly code: string;
  readonly status: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, opts: LecternErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = "LecternError";
    this.code = opts.code;
    this.status = opts.status;
    this.details = opts.details;
  }
}

/** 404: no prompt of that name (`not_found`), or nothing of it live in the environment (`not_deployed`). */
export class LecternNotFoundError extends LecternError {
  constructor(message: string, opts: LecternErrorOptions) {
    super(message, opts);
    this.name = "LecternNotFoundError";
  }
}

/** 401 or 403: the API key is missing, unknown, revoked, or not allowed to do this. */
export class LecternAuthError extends LecternError {
  constructor(message: string, opts: LecternErrorOptions) {
    super(message, opts);
    this.name = "LecternAuthError";
  }
}

export interface InvalidVariable {
  name: string;
  expected: string;
  got: string;
  /** When the value has the type but not the variable's schema: where it fails (`orders[0].total`) and how. */
  path?: string;
  problem?: string;
}

/** `missing_variables` or `invalid_variables`, from render() or from the server. */
export class LecternValidationError extends LecternError {
  constructor(message: string, opts: LecternErrorOptions) {
    super(message, opts);
    this.name = "LecternValidationError";
  }

  /** Required variables that had neither a value nor a default. */
  get missing(): string[] {
    const m = this.details?.missing;
    return Array.isArray(m) ? (m as string[]) : [];
  }

  /** Variables whose value had the wrong type. */
  get invalid(): InvalidVariable[] {
    const i = this.details?.invalid;
    return Array.isArray(i) ? (i as InvalidVariable[]) : [];
  }
}

/** No usable answer: connection refused, DNS, TLS, a timeout (`code: "timeout"`), or a body that is not Lectern's. */
export class LecternNetworkError extends LecternError {
  constructor(message: string, opts: LecternErrorOptions) {
    super(message, opts);
    this.name = "LecternNetworkError";
  }
}

/** The typed error for a server error code and status. */
export function lecternError(
  code: string,
  message: string,
  status?: number,
  details?: Record<string, unknown>,
): LecternError {
  const opts = { code, status, details };
  if (code === "not_found" || code === "not_deployed") return new LecternNotFoundError(message, opts);
  if (code === "unauthorized" || code === "forbidden" || status === 401 || status === 403)
    return new LecternAuthError(message, opts);
  if (code === "missing_variables" || code === "invalid_variables") return new LecternValidationError(message, opts);
  return new LecternError(message, opts);
}

/** Maps a non-2xx answer to a typed error; bodies that are not `{error: {code, message}}` get a code from the status. */
export function errorFromResponse(status: number, bodyText: string): LecternError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    parsed = undefined;
  }
  const e = (parsed as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (e && typeof e.code === "string" && typeof e.message === "string") {
    const details =
      typeof e.details === "object" && e.details !== null ? (e.details as Record<string, unknown>) : undefined;
    return lecternError(e.code, e.message, status, details);
  }
  const code =
    status === 401
      ? "unauthorized"
      : status === 403
        ? "forbidden"
        : status === 404
          ? "not_found"
          : status === 429
            ? "rate_limited"
            : status >= 500
              ? "unavailable"
              : "http_error";
  return lecternError(code, `Lectern answered HTTP ${status}${bodyText ? `: ${bodyText.slice(0, 200)}` : ""}`, status);
}

/**
 * Whether getPrompt may serve a fallback instead of this error: the server could not be reached or
 * could not answer right now. 404 and 401/403 never qualify: they mean the name, environment or key
 * is wrong, and a silent fallback would hide that until the fallback text drifts out of date.
 */
export function isTransient(e: unknown): boolean {
  if (e instanceof LecternNetworkError) return true;
  return e instanceof LecternError && e.status !== undefined && (e.status >= 500 || e.status === 429);
}
