// `npm run openapi:report`: writes docs/api/openapi.json, the OpenAPI document generated from the endpoint
// declarations (lib/server/http/openapi/openapi-report.ts), without a server. Run with the react-server condition, under
// which the "server-only" marker the server modules import is empty.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openApiReportPath, openApiReportText } from "@/lib/server/http/openapi/openapi-report";

const text = openApiReportText();
let before = "";
try {
  before = readFileSync(openApiReportPath, "utf8");
} catch {
  // first run
}
writeFileSync(openApiReportPath, text);
console.log(
  `openapi:report: ${before === text ? "unchanged" : "written"} → ${path.relative(process.cwd(), openApiReportPath)}`,
);
