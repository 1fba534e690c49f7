// Files the CLI writes in a directory someone else may have filled (a cloned repository, a pull request's
// checkout): only regular files whose real path is inside the directory and that have one link, so a
// symbolic link or a hard link planted in the tree cannot make `lectern adopt --write`, `pull` or `push`
// change a file elsewhere; UTF-8 read strictly and written back byte for byte; each write a new file renamed
// over the old one, so a failure midway leaves the old file whole.
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  renameSync,
  rmSync,
  writeSync,
  type Stats,
} from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { CliError, exitCodes } from "./errors";

/** What a file was when it was read: a write refuses a file that is no longer that one. */
export interface FileId {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  mode: number;
}

const idOf = (s: Stats): FileId => ({ dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, mode: s.mode });
const sameFile = (a: FileId, b: FileId) =>
  a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;

export const isInside = (root: string, p: string) =>
  p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/** Why `abs` must not be written (as a file of `root`), or undefined when it may. */
export function writeProblem(root: string, abs: string): string | undefined {
  let st: Stats;
  try {
    st = lstatSync(abs);
  } catch (e) {
    return `cannot be read (${(e as NodeJS.ErrnoException).code ?? "error"})`;
  }
  if (st.isSymbolicLink()) return "a symbolic link: only regular files are written";
  if (!st.isFile()) return "not a regular file";
  if (st.nlink !== 1)
    return `it has ${st.nlink} hard links: writing it would change the same file under its other names, which may be outside the directory`;
  let real: string;
  try {
    real = realpathSync(abs);
  } catch {
    return "its real path cannot be resolved";
  }
  if (!isInside(realpathSync(root), real)) return "its real path is outside the directory";
  return undefined;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const noFollow = constants.O_NOFOLLOW ?? 0;

/**
 * A file's text, read without following a symbolic link, or why it was not read: a file that is not valid
 * UTF-8 is refused rather than read with replacement characters (which a write would then keep).
 */
export function readUtf8(abs: string, maxBytes = 64 * 1024 * 1024): { text: string; id: FileId } | { reason: string } {
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | noFollow);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === "ELOOP" ? "a symbolic link" : `cannot be read (${code ?? "error"})` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { reason: "not a regular file" };
    if (st.size > maxBytes) return { reason: `larger than ${Math.round(maxBytes / 1024)} KiB` };
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    try {
      return { text: utf8.decode(buf.subarray(0, got)), id: idOf(st) };
    } catch {
      return {
        reason: "not valid UTF-8: left as it is (lectern reads and writes UTF-8 only, and never re-encodes a file)",
      };
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes `bytes` to a new file beside `abs` and renames it over `abs`: never through a link, never half written. */
function writeByRename(abs: string, bytes: Buffer, mode: number | undefined) {
  const tmp = path.join(path.dirname(abs), `.${path.basename(abs)}.lectern-${randomBytes(4).toString("hex")}.tmp`);
  // A new file gets the usual 0o666 less the umask; a replaced one keeps its mode.
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | noFollow, mode ?? 0o666);
  try {
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, abs);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Replaces a file that readUtf8 read, with `text` as UTF-8; throws a CliError when the file may not be
 * written (writeProblem) or is no longer the file that was read.
 */
export function replaceFile(root: string, abs: string, text: string, read: FileId): void {
  const problem = writeProblem(root, abs);
  if (problem) throw new CliError(`${abs}: not written: ${problem}`, exitCodes.failed);
  if (!sameFile(idOf(lstatSync(abs)), read))
    throw new CliError(`${abs}: not written: it changed since it was read`, exitCodes.failed);
  writeByRename(abs, Buffer.from(text, "utf8"), read.mode & 0o7777);
}

/**
 * Creates or replaces `abs`, a file under `root` (made if missing): refused when its folder's real path
 * leaves `root`, or when it exists and is not a regular file with one link.
 */
/**
 * `executable`: a skill's file mode (true: 0755, false: 0644, as git keeps modes: the umask's read and write bits,
 * and execute wherever read is allowed); undefined keeps a replaced file's mode.
 */
export function writeInside(root: string, abs: string, text: string, executable?: boolean): void {
  mkdirSync(path.dirname(abs), { recursive: true });
  const realRoot = realpathSync(root);
  const where = realpathSync(path.dirname(abs));
  if (!isInside(realRoot, where))
    throw new CliError(
      `${abs}: not written: its folder's real path (${where}) is outside ${realRoot}`,
      exitCodes.failed,
    );
  let mode: number | undefined;
  try {
    const st = lstatSync(abs);
    const problem = writeProblem(root, abs);
    if (problem) throw new CliError(`${abs}: not written: ${problem}`, exitCodes.failed);
    mode = st.mode & 0o7777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (executable !== undefined) {
    const base = 0o666 & ~process.umask();
    mode = executable ? base | ((base & 0o444) >> 2) : base;
  }
  writeByRename(abs, Buffer.from(text, "utf8"), mode);
}
