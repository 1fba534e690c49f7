// The management API over fetch: bearer auth, a timeout per request, retries for reads that failed
// in transit, and every failure mapped to a CliError with the right exit code.
import { CliError, exitCodeForStatus, exitCodes } from "./errors";
import { cliVersion } from "./version";

export interface ApiOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
  /** Waits between retries of a failed read; tests shorten them. */
  retryDelaysMs?: number[];
}

export interface ApiErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** An error answer from the server, with its code and details (409 conflicts carry both versions). */
export class ApiError extends CliError {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.message, exitCodeForStatus(status), { code: body.code, status, details: body.details });
    this.name = "ApiError";
  }
}

const enc = (name: string) => encodeURIComponent(name);
export const promptPath = (name: string, rest = "") => `/api/v1/prompts/${enc(name)}${rest}`;

export class Api {
  private readonly fetchImpl: typeof fetch;
  private readonly delays: number[];

  constructor(private readonly o: ApiOptions) {
    this.fetchImpl = o.fetch ?? fetch;
    this.delays = o.retryDelaysMs ?? [300, 1000];
  }

  get baseUrl() {
    return this.o.baseUrl;
  }

  async get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("PATCH", path, body);
  }

  /** GET that answers undefined for a 404 instead of throwing. */
  async find<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404 && e.body.code === "not_found") return undefined;
      throw e;
    }
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    // Only reads are retried: a write whose answer was lost may have happened.
    const attempts = method === "GET" ? this.delays.length + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once<T>(method, path, body);
      } catch (e) {
        const retriable = e instanceof CliError && e.exitCode === exitCodes.network && e.info.status !== 429;
        if (!retriable || attempt >= attempts) throw e;
        await new Promise((r) => setTimeout(r, this.delays[attempt - 1]));
      }
    }
  }

  private async once<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = this.o.baseUrl + path;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.o.apiKey}`,
      accept: "application/json",
      "user-agent": `lectern-cli/${cliVersion}`,
    };
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === "TimeoutError")
        throw new CliError(`${method} ${url} timed out after ${this.o.timeoutMs / 1000} s`, exitCodes.network, {
          code: "timeout",
        });
      const why = err.cause?.code ?? err.cause?.message ?? err.message;
      throw new CliError(`Cannot reach Lectern at ${this.o.baseUrl}: ${why}`, exitCodes.network, {
        code: "network_error",
      });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const e = (parsed as { error?: Partial<ApiErrorBody> } | undefined)?.error;
      if (e && typeof e.code === "string" && typeof e.message === "string")
        throw new ApiError(res.status, { code: e.code, message: e.message, details: e.details });
      throw new CliError(
        `${this.o.baseUrl} answered ${method} ${path} with HTTP ${res.status}, not Lectern's error shape: is the base URL right?`,
        res.status === 401 || res.status === 403 ? exitCodes.auth : exitCodes.network,
        { code: "http_error", status: res.status },
      );
    }
    if (parsed === undefined)
      throw new CliError(
        `${this.o.baseUrl} answered ${method} ${path} with something that is not JSON: is the base URL right?`,
        exitCodes.network,
        { code: "invalid_response", status: res.status },
      );
    return parsed as T;
  }
}
