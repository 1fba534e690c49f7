// `node --import ./test/skills-cli/preload.mjs node_modules/skills/bin/cli.mjs …`: runs the `skills` CLI (npm
// `skills`, which requires Node 22) on Node 20. Its one Node 22 API is `glob` from fs/promises, imported by
// name, so on a Node without it the import itself fails; this hook gives the CLI a fs/promises with a `glob` that
// says it is missing. The CLI calls it only to scan a local folder's workspace packages, never when it
// installs from a URL, which is what the tests do. On Node 22 and later nothing is changed.
import * as fsp from "node:fs/promises";
import { register } from "node:module";

if (!("glob" in fsp)) register("./hooks.mjs", import.meta.url);
