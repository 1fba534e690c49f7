// Run in a child process by track.test.ts (a local HTTP server) and exit.api.test.ts (a real Lectern): queue
// events, then end the way `mode` says. Nothing is sent before the end (flushIntervalMs is a minute).
//   argv: baseUrl apiKey mode prompt count prefix
//   mode: "natural" (the script just ends), "exit" (process.exit(0) at once), "close-exit" (await close(), then exit)
//   prompt: "-" queues `count` track() events; a prompt name gets it for `count` subjects (`${prefix}${i}`), each
//   assigned locally and its exposure queued, as in an experiment
import { createClient } from "../src/index";

const [baseUrl, apiKey, mode, prompt, count, prefix = "s-"] = process.argv.slice(2) as string[];
const lectern = createClient({ baseUrl: baseUrl!, apiKey: apiKey!, push: false, flushIntervalMs: 60_000 });
for (let i = 0; i < Number(count); i++) {
  if (prompt === "-") lectern.track({ type: "feedback", prompt: "p", version: 1, subject: `${prefix}${i}`, value: 1 });
  else {
    const p = await lectern.getPrompt(prompt!, { subject: `${prefix}${i}` });
    if (!p.experiment) throw new Error(`${prefix}${i} is not in an experiment`);
  }
}
console.log(`queued ${count}`);
if (mode === "close-exit") {
  await lectern.close();
  process.exit(0);
}
if (mode === "exit") process.exit(0);
