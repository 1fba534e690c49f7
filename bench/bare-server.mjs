// The physical limit the fast path is compared with: bare node:http answering every request with the
// same status, headers and bytes as a resolve L1 hit (read from the JSON file given as argv[2]).
//   node bench/bare-server.mjs answer.json PORT
import { readFileSync } from "node:fs";
import { createServer } from "node:http";

const answer = JSON.parse(readFileSync(process.argv[2], "utf8"));
const port = Number(process.argv[3]);
createServer((req, res) => {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}).listen(port, "127.0.0.1", () => console.log(`bare server on ${port}`));
