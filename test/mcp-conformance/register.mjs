// `node --import ./test/mcp-conformance/register.mjs …/conformance/dist/index.js`: the MCP conformance suite
// (@modelcontextprotocol/conformance) imports `globSync` from "fs", which Node 22 has and Node 20 does not; it uses it
// only to find result files of its tier-check command, never for `server`. A `--require` preload cannot add it:
// Node fixes a built-in module's ESM exports when the module is first loaded, before any preload runs. So this
// loader hook gives the suite's modules an "fs" that is Node's own plus `globSync` (fs-glob.mjs); the suite itself is
// run as published.
import { register } from "node:module";

register("./hook.mjs", import.meta.url);
