// Run by updates.test.ts in a child process: fetch a prompt (which opens the event stream), wait a
// little, and end without close(). The process must exit by itself.
import { createClient } from "../src/index";

const [baseUrl, apiKey] = process.argv.slice(2) as [string, string];
const lectern = createClient({ baseUrl, apiKey, cacheTtlMs: 50, pollIntervalMs: 20 });
const p = await lectern.getPrompt("p");
await new Promise((r) => setTimeout(r, 300));
console.log(`served version ${p.version}`);
