import "server-only";
import { z } from "zod";

// Query and limits of /api/v1/snapshot, shared by the route and the OpenAPI document.
export const snapshotImportQuery = z.object({
  dryRun: z
    .enum(["true", "false", "1", "0"], { error: "dryRun must be true or false" })
    .optional()
    .transform((v) => v === "true" || v === "1"),
});

/** A whole project with its history is larger than any other request body. */
export const snapshotBodyLimit = 64 * 1024 * 1024;
