// The CLI's writes in a tree someone else filled: never through a symbolic or hard link, never into a folder
// whose real path leaves the tree, UTF-8 only and byte for byte, and a file that changed since it was read is
// not overwritten.
import {
  chmodSync,
  linkSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tempTrees } from "../test/temp-tree";
import { readUtf8, replaceFile, writeInside } from "./safe-write";

const temp = tempTrees("lectern-safe-");

describe("writeInside (pull, push, types)", () => {
  it("creates and replaces regular files, keeping a replaced file's mode and leaving no temporary file", () => {
    const root = temp();
    const file = path.join(root, "a/b/greeting.yaml");
    writeInside(root, file, "one\n");
    chmodSync(file, 0o640);
    writeInside(root, file, "two\n");
    expect(readFileSync(file, "utf8")).toBe("two\n");
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(path.dirname(file))).toEqual(["greeting.yaml"]);
  });

  it("refuses a symbolic link, a hard link and a folder that leads outside, changing nothing there", () => {
    const outside = temp();
    const secret = path.join(outside, "authorized_keys");
    writeFileSync(secret, "ssh-ed25519 AAAA…\n");
    const root = temp();
    symlinkSync(secret, path.join(root, "sym.yaml"));
    linkSync(secret, path.join(root, "hard.yaml"));
    symlinkSync(outside, path.join(root, "folder"));
    expect(() => writeInside(root, path.join(root, "sym.yaml"), "x")).toThrow(/a symbolic link/);
    expect(() => writeInside(root, path.join(root, "hard.yaml"), "x")).toThrow(/it has 2 hard links/);
    expect(() => writeInside(root, path.join(root, "folder/new.yaml"), "x")).toThrow(/outside/);
    expect(readFileSync(secret, "utf8")).toBe("ssh-ed25519 AAAA…\n");
    expect(readdirSync(outside)).toEqual(["authorized_keys"]);
  });
});

describe("readUtf8 and replaceFile (adopt --write)", () => {
  it("refuses text that is not UTF-8, keeps a byte order mark, and refuses a file changed since it was read", () => {
    const root = temp();
    const latin1 = path.join(root, "l.js");
    writeFileSync(latin1, Buffer.from("caf\xe9", "latin1"));
    expect(readUtf8(latin1)).toEqual({
      reason: "not valid UTF-8: left as it is (lectern reads and writes UTF-8 only, and never re-encodes a file)",
    });
    const bom = path.join(root, "b.js");
    writeFileSync(bom, "\ufeffconst a = 1;\n");
    const read = readUtf8(bom);
    if (!("text" in read)) throw new Error(read.reason);
    expect(read.text).toBe("\ufeffconst a = 1;\n");
    replaceFile(root, bom, read.text.replace("1", "2"), read.id);
    expect(readFileSync(bom)).toEqual(Buffer.from("\ufeffconst a = 2;\n", "utf8"));
    writeFileSync(bom, "edited by someone else\n");
    expect(() => replaceFile(root, bom, "x", read.id)).toThrow(/changed since it was read/);
    expect(readFileSync(bom, "utf8")).toBe("edited by someone else\n");
  });

  it("does not read through a symbolic link", () => {
    const root = temp();
    mkdirSync(path.join(root, "d"));
    writeFileSync(path.join(root, "d/real.js"), "x");
    symlinkSync(path.join(root, "d/real.js"), path.join(root, "link.js"));
    expect(readUtf8(path.join(root, "link.js"))).toEqual({ reason: "a symbolic link" });
  });
});
