import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readServerFile, serverUrl, writeServerFile } from "./server-file";

const dir = () => mkdtempSync(path.join(tmpdir(), "lectern-server-file-"));

describe("the running server's file", () => {
  it("is written with this process's address and read back", () => {
    const d = dir();
    writeServerFile(d, "http://localhost:4000/");
    const read = readServerFile(d);
    expect(read).toMatchObject({ url: "http://localhost:4000", pid: process.pid });
    expect(JSON.parse(readFileSync(path.join(d, "server.json"), "utf8")).pid).toBe(process.pid);
  });

  it("is ignored when the server that wrote it is gone", () => {
    const d = dir();
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid; // a process that has exited
    writeFileSync(path.join(d, "server.json"), JSON.stringify({ url: "http://localhost:4000", pid: gone }));
    expect(readServerFile(d)).toBeUndefined();
  });

  it("is ignored when it is not what the server writes", () => {
    for (const text of ["not json", "null", JSON.stringify({ url: "file:///etc/passwd", pid: process.pid })]) {
      const d = dir();
      writeFileSync(path.join(d, "server.json"), text);
      expect(readServerFile(d)).toBeUndefined();
    }
  });
});

describe("serverUrl", () => {
  it("prefers --url, then NEXTAUTH_URL, then PORT, then the running server, then 3000", () => {
    const empty = dir();
    const running = dir();
    writeServerFile(running, "http://127.0.0.1:4123");
    const all = { NEXTAUTH_URL: "https://lectern.example/", PORT: "5000" };
    expect(serverUrl({ explicit: "http://x:1/", dataDir: running, env: all })).toEqual({
      url: "http://x:1",
      source: "--url",
    });
    expect(serverUrl({ dataDir: running, env: all })).toEqual({
      url: "https://lectern.example",
      source: "NEXTAUTH_URL",
    });
    // Another Lectern running from the same folder does not take the traffic meant for the one on PORT.
    expect(serverUrl({ dataDir: running, env: { PORT: "5000" } })).toEqual({
      url: "http://localhost:5000",
      source: "PORT",
    });
    expect(serverUrl({ dataDir: running, env: {} })).toEqual({
      url: "http://127.0.0.1:4123",
      source: `the running server (${path.join(running, "server.json")})`,
    });
    expect(serverUrl({ dataDir: empty, env: {} })).toEqual({
      url: "http://localhost:3000",
      source: "the default port",
    });
  });
});
