/**
 * Bounded reads of regular files (Node, Bun, Deno's node:fs). Every input the CLI reads goes
 * through here, because `fs.readFile` trusts nothing it should: `/dev/zero` reports size 0 and
 * never ends, a FIFO blocks `open` until a writer comes, `/proc` files report size 0 and are longer.
 *
 * - The path is `stat`ed first and anything but a regular file is refused without being opened
 *   (opening some devices has side effects: a watchdog arms, a tape rewinds).
 * - The file is then opened with O_NONBLOCK, so a FIFO swapped in meanwhile returns at once;
 *   `fstat` on the open descriptor (the path could have been swapped) checks again.
 * - At most `limit + 1` bytes are ever read, whatever the size the file reports.
 *
 * Errors are errno-style (`code`, Go's wording through goPathError) with `op` saying which step
 * failed, so each caller can word them as Gait does (`read intent: open <path>: ...`).
 */
import { goPathError, withOp } from './os-error.js';
import { promises as fs, constants, openSync, fstatSync, statSync, readSync, closeSync, type Stats } from 'node:fs';

/** The file is larger than the caller's limit. */
export class FileTooLargeError extends Error {
  constructor(readonly path: string, readonly limit: number) {
    super(`${path} exceeds maximum size of ${limit} bytes`);
    this.name = 'FileTooLargeError';
  }
}

/** An errno-style error: `code` as Node's, `op` the step that failed. */
export interface FileReadError extends Error {
  code: string;
  op: 'open' | 'read';
}

// O_NONBLOCK: opening a FIFO must not wait for a writer. Not defined on Windows (no FIFOs there).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
const CHUNK = 64 * 1024;
// The first buffer when the reported size is 0 or tiny (a /proc-like file reports 0 and has more).
const FIRST_MIN = 512;

function fileError(code: string, message: string, op: 'open' | 'read'): FileReadError {
  return Object.assign(new Error(message), { code, op });
}

/** Refuses directories (EISDIR, as Go's read does) and every other non-regular file. */
function checkRegular(stat: Stats): void {
  if (stat.isDirectory()) throw fileError('EISDIR', 'is a directory', 'read');
  if (!stat.isFile()) throw fileError('ENOTREG', 'not a regular file', 'read');
}

/** Reads a whole regular file of at most `limit` bytes. */
export async function readRegularFile(path: string, limit: number): Promise<Uint8Array> {
  let handle: fs.FileHandle;
  try {
    checkRegular(await fs.stat(path));
  } catch (err) {
    throw withOp(err, 'open');
  }
  try {
    handle = await fs.open(path, OPEN_FLAGS);
  } catch (err) {
    throw withOp(err, 'open');
  }
  try {
    const stat = await handle.stat();
    checkRegular(stat);
    const bounded = new BoundedRead(path, limit, stat.size);
    for (let chunk; (chunk = bounded.next()); ) {
      if (!bounded.took((await handle.read(chunk, 0, chunk.length, null)).bytesRead)) break;
    }
    return bounded.bytes();
  } catch (err) {
    throw withOp(err, 'read');
  } finally {
    await handle.close();
  }
}

/** Synchronous readRegularFile. */
export function readRegularFileSync(path: string, limit: number): Uint8Array {
  let fd: number;
  try {
    checkRegular(statSync(path));
  } catch (err) {
    throw withOp(err, 'open');
  }
  try {
    fd = openSync(path, OPEN_FLAGS);
  } catch (err) {
    throw withOp(err, 'open');
  }
  try {
    const stat = fstatSync(fd);
    checkRegular(stat);
    const bounded = new BoundedRead(path, limit, stat.size);
    for (let chunk; (chunk = bounded.next()); ) {
      if (!bounded.took(readSync(fd, chunk, 0, chunk.length, null))) break;
    }
    return bounded.bytes();
  } catch (err) {
    throw withOp(err, 'read');
  } finally {
    closeSync(fd);
  }
}

/**
 * The text of a failed read, in Go's words and naming the file: `open <path>: no such file or
 * directory`, `read <path>: is a directory`, `read <path>: not a regular file`, or
 * `<path> exceeds maximum size of <limit> bytes`. Callers prefix what they were reading.
 */
export function readFailureText(err: unknown, path: string): string {
  if (err instanceof FileTooLargeError) return err.message;
  const op = (err as { op?: unknown } | undefined)?.op;
  return goPathError(err, typeof op === 'string' ? op : 'open', path);
}

/** UTF-8 text of file bytes as Node's `readFile(path, 'utf8')` gives it (BOM kept, bad bytes U+FFFD). */
export function utf8Text(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** The one read loop of both readers: chunks of at most `limit + 1` bytes in all, then one buffer. */
class BoundedRead {
  private readonly chunks: Uint8Array[] = [];
  private total = 0;
  /** The buffer being filled, and how much of it is. */
  private current: Uint8Array | undefined;
  private filled = 0;
  /** `sizeHint`: the size the file reports; the first buffer holds that and one byte more (the end-of-file read needs no new buffer). */
  constructor(private readonly path: string, private readonly limit: number, private readonly sizeHint = 0) {}

  /** The buffer to read into next: what is left of the current one, or a new one. */
  next(): Uint8Array {
    if (this.current && this.filled < this.current.length) return this.current.subarray(this.filled);
    if (this.current) this.chunks.push(this.current);
    const want = this.current ? CHUNK : Math.max(this.sizeHint + 1, FIRST_MIN);
    this.current = new Uint8Array(Math.min(want, this.limit + 1 - this.total));
    this.filled = 0;
    return this.current;
  }

  /** Records `n` bytes read into the last buffer; false at end of file. Throws past the limit. */
  took(n: number): boolean {
    if (n === 0) return false;
    this.filled += n;
    this.total += n;
    if (this.total > this.limit) throw new FileTooLargeError(this.path, this.limit);
    return true;
  }

  bytes(): Uint8Array {
    const parts = this.current ? [...this.chunks, this.current.subarray(0, this.filled)] : this.chunks;
    if (parts.length === 1) return parts[0]!;
    const out = new Uint8Array(this.total);
    let at = 0;
    for (const c of parts) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
