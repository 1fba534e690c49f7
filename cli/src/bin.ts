// The executable: process wiring around runCli.
import { runCli } from "./main";

const major = Number(process.versions.node.split(".")[0]);
if (major < 20) {
  process.stderr.write(`lectern needs Node.js 20 or later; this is ${process.version}\n`);
  process.exit(2);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin,
  isTTY: process.stdout.isTTY === true,
}).then(
  (code) => {
    // exitCode, not exit(): output still being flushed to a pipe must not be cut off.
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`lectern: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
