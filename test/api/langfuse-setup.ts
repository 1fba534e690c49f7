// Shared setup of the Langfuse-compatibility api tests: keys for the project the server was started
// with, and what the tests of the official @langfuse/client need around it.
import { randomBytes } from "node:crypto";
import { LangfuseClient } from "@langfuse/client";
import { beforeAll, expect, vi } from "vitest";
import { baseUrl, call } from "./client";

/** The project's public id (the Langfuse public key), and a runtime and an admin key of its own. */
export async function langfuseKeys() {
  const publicId = (await call("GET", "/api/v1/project")).body.publicId as string;
  const runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: "langfuse runtime", scope: "runtime" } }))
    .body.key as string;
  const adminKey = (await call("POST", "/api/v1/api-keys", { body: { name: "langfuse admin", scope: "admin" } })).body
    .key as string;
  return { publicId, runtimeKey, adminKey };
}

export let publicId = "";
export let runtimeKey = "";
export let adminKey = "";

/** Registers this file's keys (beforeAll): langfuseKeys(), read through the bindings above. */
export function withLangfuseKeys(): void {
  beforeAll(async () => {
    ({ publicId, runtimeKey, adminKey } = await langfuseKeys());
  });
}

/** The official client on this file's public id and admin key, pointed at Lectern (see withLangfuseClient). */
export let langfuse: LangfuseClient;

/** withLangfuseKeys, then (beforeAll) `langfuse` on them. */
export function withLangfuseClient(): void {
  withLangfuseKeys();
  beforeAll(() => {
    langfuse = new LangfuseClient({ publicKey: publicId, secretKey: adminKey, baseUrl });
  });
}

/**
 * Runs a call that is expected to fail inside the Langfuse client, which also logs the failure with a
 * full stack trace: the log is captured (and checked to be that failure) instead of printed, so a
 * real failure stands out in the test output.
 */
export async function expectLoggedFailure(call: Promise<unknown>, status: number) {
  const logged = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await expect(call).rejects.toThrow();
    expect(logged.mock.calls.map((args) => args.map(String).join(" ")).join("\n")).toMatch(
      new RegExp(`Error fetching prompt[\\s\\S]*Status code: ${status}`),
    );
  } finally {
    logged.mockRestore();
  }
}

/** A prompt name with a unique suffix: the tests share one project. */
export const uniqueName = (name: string) => `${name}-${randomBytes(3).toString("hex")}`;

/** The client's own API object, as Langfuse's tests spy on it (private in its types). */
export const promptApi = (client: LangfuseClient) =>
  (client.prompt as unknown as { apiClient: { prompts: { get: (...args: unknown[]) => Promise<unknown> } } }).apiClient
    .prompts;
