/**
 * File access for the CLI: bounded reads of regular files with Go-like error texts, and atomic
 * writes (never half-written) that never replace anything but a regular file.
 *
 * Inputs go through readRegularFile (bindings/read-file-node.ts): a FIFO, a device or a directory
 * is refused at once, and no read passes its limit + 1 bytes.
 *
 * Outputs (writeFileAtomic): the data goes to a new temporary file (O_EXCL, random name) in the
 * target's directory, then is renamed over the target. Before that, the target path is checked:
 * - missing: created (parent directories 0750);
 * - a regular file: replaced;
 * - a symbolic link: followed; the file it points to is replaced and the link stays a link; a link
 *   to a missing file is refused (writing would create a file wherever the link points);
 * - anything else (directory, character or block device, FIFO, socket): refused, untouched.
 */
import {
  promises as fs, existsSync, closeSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync, type Stats,
} from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { goPathError, withOp } from '../os-error.js';
import { GaitError } from '../errors.js';
import { readRegularFile, readFailureText, FileTooLargeError } from '../read-file-node.js';

export { readRegularFile, readFailureText, FileTooLargeError };

/** `open <path>: no such file or directory`, as Go's os errors read. */
export function osErrorText(err: unknown, op: string, file: string): string {
  return goPathError(err, op, file);
}

/**
 * readRegularFile where a missing file is undefined (registries). Other failures throw an Error
 * whose message is readFailureText's (`read <path>: not a regular file`).
 */
export async function readOptionalInputFile(file: string, limit: number): Promise<Uint8Array | undefined> {
  try {
    return await readRegularFile(file, limit);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw Object.assign(new Error(readFailureText(err, file)), { code: (err as NodeJS.ErrnoException).code });
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs

/** An output path that must not be written: not a regular file, or a link to a missing file. */
export class OutputPathError extends Error {
  constructor(readonly path: string, readonly code: 'EISDIR' | 'ENOTREG' | 'ENOENT', reason: string) {
    super(`${path} ${reason}; refusing to replace it`);
    this.name = 'OutputPathError';
  }
}

function kindOf(stat: Stats): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

function requireRegular(stat: Stats, shown: string): void {
  if (stat.isFile()) return;
  throw new OutputPathError(shown, stat.isDirectory() ? 'EISDIR' : 'ENOTREG', `is ${kindOf(stat)}, not a regular file`);
}

/**
 * The file an output to `file` replaces: `file` itself, or the file its symbolic link points to.
 * Throws OutputPathError when that is not a regular file (or is a dangling link).
 */
export async function resolveOutputPath(file: string): Promise<string> {
  let stat: Stats;
  try {
    stat = await fs.lstat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return file;
    throw withOp(err, 'open');
  }
  if (!stat.isSymbolicLink()) {
    requireRegular(stat, file);
    return file;
  }
  let target: string;
  try {
    target = await fs.realpath(file);
    stat = await fs.stat(target);
  } catch (err) {
    throw symlinkFailure(err, file);
  }
  requireRegular(stat, file);
  return target;
}

/** Why following the symbolic link `file` failed (both resolvers). */
function symlinkFailure(err: unknown, file: string): unknown {
  if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new OutputPathError(file, 'ENOENT', 'is a symbolic link to a missing file');
  return withOp(err, 'open');
}

/** resolveOutputPath, synchronously (the same checks and errors). */
export function resolveOutputPathSync(file: string): string {
  let stat: Stats | undefined;
  try {
    // A missing file is the common case (a new trace): no exception built for it.
    stat = lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    throw withOp(err, 'open');
  }
  if (stat === undefined) return file;
  if (!stat.isSymbolicLink()) {
    requireRegular(stat, file);
    return file;
  }
  let target: string;
  try {
    target = realpathSync(file);
    stat = statSync(target);
  } catch (err) {
    throw symlinkFailure(err, file);
  }
  requireRegular(stat, file);
  return target;
}

/**
 * Creates `dir` and any missing parents, one level at a time (Go's MkdirAll). Not Node's
 * `mkdir({ recursive: true })`: on a parent that reports ENOENT for a child it cannot hold (such as
 * `/proc/x`) Node retries for ever, so `--trace-out /proc/x/t.json` would hang the gate.
 */
export async function mkdirAll(dir: string, mode: number): Promise<void> {
  try {
    const st = await fs.stat(dir);
    if (st.isDirectory()) return;
    throw Object.assign(new Error(`mkdir ${dir}: not a directory`), { code: 'ENOTDIR', path: dir });
  } catch (err) {
    // ENOTDIR: a component is a file; the walk up finds and names it, as Go does.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  const parent = path.dirname(dir);
  if (parent !== dir) await mkdirAll(parent, mode);
  try {
    await fs.mkdir(dir, { mode });
  } catch (err) {
    // Made meanwhile by someone else: fine if it is a directory now.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && (await fs.stat(dir).catch(() => undefined))?.isDirectory()) return;
    throw err;
  }
}

/** mkdirAll, synchronously. */
export function mkdirAllSync(dir: string, mode: number): void {
  try {
    if (statSync(dir).isDirectory()) return;
    throw Object.assign(new Error(`mkdir ${dir}: not a directory`), { code: 'ENOTDIR', path: dir });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  const parent = path.dirname(dir);
  if (parent !== dir) mkdirAllSync(parent, mode);
  try {
    mkdirSync(dir, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(dir, { throwIfNoEntry: false })?.isDirectory()) return;
    throw err;
  }
}

// Random bytes for temporary names, drawn in batches (one system call per 512 names, not per name).
const randomPool = { bytes: Buffer.alloc(0), at: 0 };

/** A fresh temporary name beside `target` (created with O_EXCL, so never an existing file). */
function tempPathFor(target: string): string {
  if (randomPool.at + 6 > randomPool.bytes.length) {
    randomPool.bytes = randomBytes(6 * 512);
    randomPool.at = 0;
  }
  const suffix = randomPool.bytes.toString('hex', randomPool.at, randomPool.at + 6);
  randomPool.at += 6;
  return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}.tmp`);
}

/**
 * Writes via a temporary file in the target's directory and renames it into place; refuses to
 * replace anything but a regular file (see the top of this file). Errors keep their errno `code`
 * and carry `op` (`open`, `mkdir`, `write`, `rename`); OutputPathError for a refused target.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  mode = 0o600,
  options: { durable?: boolean } = {},
): Promise<void> {
  const target = await resolveOutputPath(file);
  const dir = path.dirname(target);
  try {
    await mkdirAll(dir, 0o750);
  } catch (err) {
    throw withOp(err, 'mkdir');
  }
  const tmp = tempPathFor(target);
  let op = 'open';
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      op = 'write';
      await handle.writeFile(data);
      // durable: the data is on disk before the rename makes it visible (the state file's counts).
      if (options.durable) await handle.sync();
    } finally {
      await handle.close();
    }
    // Checked again just before the rename: the target may have been swapped meanwhile.
    op = 'open';
    await resolveOutputPath(target);
    op = 'rename';
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw withOp(err, op);
  }
  if (options.durable) {
    // And the rename itself, where the platform allows syncing a directory.
    const dirHandle = await fs.open(dir, 'r').catch(() => undefined);
    await dirHandle?.sync().catch(() => {});
    await dirHandle?.close().catch(() => {});
  }
}

/**
 * writeFileAtomic without `durable`, synchronously: a server writing one trace per request saves
 * the promise machinery of five file calls. Same checks, same steps, same errors.
 */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, mode = 0o600): void {
  const target = resolveOutputPathSync(file);
  try {
    mkdirAllSync(path.dirname(target), 0o750);
  } catch (err) {
    throw withOp(err, 'mkdir');
  }
  const tmp = tempPathFor(target);
  let op = 'open';
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      op = 'write';
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    } finally {
      closeSync(fd);
    }
    op = 'open';
    resolveOutputPathSync(target);
    op = 'rename';
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw withOp(err, op);
  }
}

/** Out of disk or quota, or a failing device: the environment failed, not the input (exit 1). */
const IO_FAILURES = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG', 'EROFS']);

/**
 * The GaitError for a failed output, naming the file: `write <what>: <path> is a FIFO, not a
 * regular file; refusing to replace it` or `write <what>: write <path>: no space left on device`.
 * io_failure (exit 1) when the system failed, invalid_input (exit 6) otherwise.
 */
export function outputFailure(what: string, err: unknown, file: string): GaitError {
  if (err instanceof GaitError) return err;
  if (err instanceof OutputPathError) return new GaitError(`write ${what}: ${err.message}`, 'invalid_input');
  const e = err as { code?: string; op?: string } | undefined;
  const text = goPathError(err, e?.op ?? 'open', file);
  return new GaitError(`write ${what}: ${text}`, e?.code && IO_FAILURES.has(e.code) ? 'io_failure' : 'invalid_input');
}

/** Checks an output path before anything is written (outputFailure's errors). */
export async function checkOutputFile(file: string, what: string): Promise<void> {
  try {
    await resolveOutputPath(file);
  } catch (err) {
    throw outputFailure(what, err, file);
  }
}

/** writeFileAtomic, failing with outputFailure's errors. */
export async function writeOutputFile(file: string, data: string | Uint8Array, mode: number, what: string): Promise<void> {
  try {
    await writeFileAtomic(file, data, mode);
  } catch (err) {
    throw outputFailure(what, err, file);
  }
}

/** writeFileAtomicSync, failing with outputFailure's errors. */
export function writeOutputFileSync(file: string, data: string | Uint8Array, mode: number, what: string): void {
  try {
    writeFileAtomicSync(file, data, mode);
  } catch (err) {
    throw outputFailure(what, err, file);
  }
}

export async function exists(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file or folder shipped with the package (examples, policy templates), or undefined when it is
 * missing. The sources (bindings/cli), dist/cli and the bundle (dist/bundle) all sit two levels
 * below the package root.
 */
export function packagePath(relative: string): string | undefined {
  const p = fileURLToPath(new URL(`../../${relative}`, import.meta.url));
  return existsSync(p) ? p : undefined;
}
