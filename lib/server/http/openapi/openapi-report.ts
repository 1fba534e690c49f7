// The committed OpenAPI document, docs/api/openapi.json: the document the server serves, with the default server
// URL, as reviewed text (two-space JSON, keys in the order the document is generated in, which is the order of the
// declarations). `npm run openapi:report` writes it; openapi-report.test.ts fails when it is stale, so a change to
// the API shows in review as a diff of that file.
import "server-only";
import path from "node:path";
import { openApiDocument } from "./openapi";

export const openApiReportPath = path.join(process.cwd(), "docs", "api", "openapi.json");

/** The command that rewrites the report, for failure messages. */
export const openApiReportCommand = "npm run openapi:report";

export const openApiReportText = (doc: object = openApiDocument()) => `${JSON.stringify(doc, null, 2)}\n`;
