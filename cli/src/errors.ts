// Exit codes are part of the CLI's interface: CI scripts branch on them.
export const exitCodes = {
  ok: 0,
  /** A conflict, a validation error, or anything else the server refused (404, 409, 422…). */
  failed: 1,
  /** The command line or the configuration is wrong. */
  usage: 2,
  /** No API key, or the server refused it (401, 403). */
  auth: 3,
  /** Lectern could not be reached or could not answer (connection, timeout, 429, 5xx). */
  network: 4,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

export interface CliErrorInfo {
  code?: string;
  status?: number;
  file?: string;
  field?: string;
  details?: Record<string, unknown>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly info: CliErrorInfo = {},
  ) {
    super(message);
    this.name = "CliError";
  }
}

export const usageError = (message: string, info: CliErrorInfo = {}) =>
  new CliError(message, exitCodes.usage, { code: "usage", ...info });

/** The exit code for an error answer from the server. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return exitCodes.auth;
  if (status === 408 || status === 429 || status >= 500) return exitCodes.network;
  return exitCodes.failed;
}
