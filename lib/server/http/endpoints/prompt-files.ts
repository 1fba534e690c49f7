// The endpoints of prompt files (Dotprompt, GitHub Models' .prompt.yml): a version exported as a file, a file
// imported as a prompt or version. One declaration each (../endpoint.ts), read by the route and the OpenAPI document.
import "server-only";
import {
  exportFileQuery,
  importFileBodyLimit,
  importFileInput,
  importFileResponse,
} from "@/lib/registry/formats/version-files";
import { endpoint } from "../endpoint";
import { promptVersionParams } from "../path-params";

export const exportPromptVersion = endpoint({
  method: "GET",
  path: "/api/v1/prompts/{name}/versions/{version}/export",
  params: promptVersionParams,
  summary:
    "The version as a prompt file (Content-Disposition: attachment): ?format=dotprompt, a .prompt file that the dotprompt library renders, with the same variables, to the messages Lectern renders (model, config and input schema in its frontmatter; partials stay {{> name}}), or ?format=prompt.yml, GitHub Models' .prompt.yml (messages with {{name}}, model, modelParameters, name (the display name it was imported with), testData and evaluators from the prompt's tests dataset, else testData from the examples). What the format cannot carry is a 422 naming it (details.construct, details.field)",
  scope: "admin",
  permission: "prompt.read",
  errors: ["unprocessable"],
  query: exportFileQuery,
  response: {
    contentType: "text/plain",
    description: "The file: text/plain for format=dotprompt, application/yaml for format=prompt.yml",
  },
});

export const importPromptFile = endpoint({
  method: "POST",
  path: "/api/v1/prompts/import",
  summary:
    "Read a prompt file {format: dotprompt | prompt.yml, name?, source, commitMessage?, baseVersion?} into the project: a new prompt (201, created) when none has the name (default: the file's own name:), else a new version of it (201) through the ordinary save — validation, partials, audit row — based on baseVersion or the version the file says it came from (409 when the latest is another); 200 with unchanged: true when the file holds the latest version's content. A .prompt.yml's testData and evaluators become the prompt's tests dataset \"<name> tests\" and its scorers, in the same transaction (an evaluator that cannot be read is a 422 naming it). A .prompt file renders in Lectern as the dotprompt library renders it; what Lectern cannot carry (ifEquals, @index, tools…) is a 422 naming it (details.construct)",
  scope: "admin",
  permission: "version.create",
  body: importFileInput,
  maxBodyBytes: importFileBodyLimit,
  status: 201,
  response: importFileResponse,
});
