// Builds the Python client (sdk-python/) into a wheel in public/sdk/, so every Lectern serves it:
// GET /sdk/lectern-<version>-py3-none-any.whl, installed with
// `pip install https://<lectern>/sdk/lectern-<version>-py3-none-any.whl` and no package index (the
// package needs nothing outside Python's standard library). A wheel is a zip of the package and a
// .dist-info folder (METADATA, WHEEL, RECORD with a sha256 per file); it is written here with Node
// alone, byte for byte the same for the same sources. Runs before `next build`, and before `next dev`
// when the wheel is missing. `--out <dir>` writes elsewhere (tests).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deflateRawSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sdk = path.join(root, "sdk-python");
const pkg = path.join(sdk, "src", "lectern");
const outArg = process.argv.indexOf("--out");
const target = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(root, "public", "sdk");

const version = /^__version__ = "([^"]+)"$/m.exec(readFileSync(path.join(pkg, "__init__.py"), "utf8"))?.[1];
if (!version || !/^[0-9]+(\.[0-9]+)*([a-z]+[0-9]+)?$/.test(version))
  throw new Error("pack-python-sdk: no plain __version__ in sdk-python/src/lectern/__init__.py");
const declared = /^version = "([^"]+)"$/m.exec(readFileSync(path.join(sdk, "pyproject.toml"), "utf8"))?.[1];
if (declared !== version)
  throw new Error(`pack-python-sdk: pyproject.toml says version ${declared}, src/lectern/__init__.py ${version}`);
const wheelName = `lectern-${version}-py3-none-any.whl`;
const wheel = path.join(target, wheelName);
if (process.argv.includes("--if-missing") && existsSync(wheel)) process.exit(0);

const distInfo = `lectern-${version}.dist-info`;
const readme = readFileSync(path.join(sdk, "README.md"), "utf8");
const metadata = [
  "Metadata-Version: 2.1",
  "Name: lectern",
  `Version: ${version}`,
  "Summary: Python client for Lectern: fetch, cache and render prompts, with live updates and fallbacks.",
  "License: MIT",
  "Requires-Python: >=3.9",
  "Classifier: Programming Language :: Python :: 3",
  "Classifier: License :: OSI Approved :: MIT License",
  "Description-Content-Type: text/markdown",
  "",
  readme,
].join("\n");
const wheelInfo =
  "Wheel-Version: 1.0\nGenerator: lectern scripts/pack-python-sdk.mjs\nRoot-Is-Purelib: true\nTag: py3-none-any\n";

/** @type {Array<[string, Buffer]>} */
const files = readdirSync(pkg)
  .filter((f) => f.endsWith(".py"))
  .sort()
  .map((f) => [`lectern/${f}`, readFileSync(path.join(pkg, f))]);
files.push([`${distInfo}/METADATA`, Buffer.from(metadata)]);
files.push([`${distInfo}/WHEEL`, Buffer.from(wheelInfo)]);
files.push([`${distInfo}/LICENSE`, readFileSync(path.join(sdk, "LICENSE"))]);
const hash = (b) => createHash("sha256").update(b).digest("base64url");
const record = files.map(([name, data]) => `${name},sha256=${hash(data)},${data.length}`);
record.push(`${distInfo}/RECORD,,`);
files.push([`${distInfo}/RECORD`, Buffer.from(record.join("\n") + "\n")]);

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// The zip format (APPNOTE 6.3): a local header before each file's deflated bytes, then the central
// directory and its end record. Times are the zip epoch (1980-01-01 00:00) so builds are reproducible.
const dosTime = 0;
const dosDate = (0 << 9) | (1 << 5) | 1;
const parts = [];
const central = [];
let offset = 0;
for (const [name, data] of files) {
  const nameBytes = Buffer.from(name, "utf8");
  const compressed = deflateRawSync(data, { level: 9 });
  const crc = crc32(data);
  // The fields a local header and its central directory entry share, from `at` (4 in the one, 6 in the other).
  const shared = (header, at) => {
    header.writeUInt16LE(20, at); // version needed: 2.0 (deflate)
    header.writeUInt16LE(0x0800, at + 2); // names are UTF-8
    header.writeUInt16LE(8, at + 4); // deflate
    header.writeUInt16LE(dosTime, at + 6);
    header.writeUInt16LE(dosDate, at + 8);
    header.writeUInt32LE(crc, at + 10);
    header.writeUInt32LE(compressed.length, at + 14);
    header.writeUInt32LE(data.length, at + 18);
    header.writeUInt16LE(nameBytes.length, at + 22);
  };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  shared(local, 4);
  local.writeUInt16LE(0, 28);
  parts.push(local, nameBytes, compressed);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0);
  entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  shared(entry, 6);
  entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
  entry.writeUInt32LE(offset, 42);
  central.push(entry, nameBytes);
  offset += local.length + nameBytes.length + compressed.length;
}
const centralSize = central.reduce((n, b) => n + b.length, 0);
const end = Buffer.alloc(22);
end.writeUInt32LE(0x06054b50, 0);
end.writeUInt16LE(files.length, 8);
end.writeUInt16LE(files.length, 10);
end.writeUInt32LE(centralSize, 12);
end.writeUInt32LE(offset, 16);

mkdirSync(target, { recursive: true });
for (const f of readdirSync(target)) if (f.endsWith(".whl")) rmSync(path.join(target, f));
const bytes = Buffer.concat([...parts, ...central, end]);
writeFileSync(wheel, bytes);
console.log(
  `pack-python-sdk: lectern ${version} (${files.length} files, ${(bytes.length / 1024).toFixed(1)} KiB) → ${path.relative(root, wheel)}`,
);
