/**
 * The lock that serializes every read-modify-write of the rate-limit state file: `<state>.lock`
 * beside the (real) state file. A lock is never stolen from a live holder and only its owner
 * removes it, so two processes never count at once.
 *
 * Protocol:
 * - Owner record. The lock file holds one JSON line: Gait's lock fields (`schema_id`
 *   `gait.gate.rate_limit_lock`, `pid`, `created_at`, so Gait also sees a live lock) plus `holder`:
 *   pid, host name, boot id, pid namespace, the process start time and a random token. Every
 *   lock instance has a token of its own that is never used again.
 * - Acquire. The record is written and synced to a private temporary file, which is then
 *   hard-linked to `<state>.lock`; link(2) fails when the lock exists. A lock file therefore never
 *   exists without its full record, and a failed write (full disk) leaves nothing behind. Where
 *   hard links are not supported: exclusive create, then write; on failure we remove the file
 *   (checked to be still ours by inode).
 * - Stale. A lock is stale only when its holder is provably gone: on this host (same host name,
 *   boot id and pid namespace) the pid is not running, is a zombie, or now runs another process
 *   (start time differs). A live local holder is never stale, however old its lock. A lock from
 *   another host, or one without our record (Gait's, an older version's, empty or garbled), is
 *   stale when its mtime is older than 15 s; holders refresh the mtime every 5 s.
 * - Takeover. A process that finds a stale lock names the instance it saw (its token, or for a
 *   foreign lock a digest of its bytes, inode and mtime) and claims `<lock>.break-<digest>` with
 *   the same exclusive create. Only the claimant re-reads the lock, checks it is still that
 *   instance and still stale, and unlinks it, then drops the claim and competes for the lock
 *   like everyone else. A late breaker of the same instance either fails to claim or finds a
 *   different instance and backs off, so two breakers can never both remove a lock and nobody
 *   removes a fresh one. A claim is itself a lock: a claim whose holder died is broken the same
 *   way (bounded depth).
 * - Hold and release. The holder checks that the lock still carries its token (and inode) before
 *   it writes the state and before it removes the lock at the end. Leftover temporary and claim
 *   files older than the stale age are swept by the next holder.
 */
import { promises as fs, constants, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { GaitError } from '../errors.js';

export const LOCK_TIMEOUT_MS = 3000;
export const LOCK_STALE_MS = 15000;
const LOCK_SCHEMA_ID = 'gait.gate.rate_limit_lock';
const RECORD_LIMIT = 64 * 1024;
const MAX_CLAIM_DEPTH = 3;
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);
// Errors of link(2) that mean "this file system has no hard links", not "the lock exists".
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

export interface LockHolder {
  pid: number;
  host: string;
  boot_id: string;
  pid_ns: string;
  start_time: string;
  token: string;
}

export interface LockRecord {
  schema_id: string;
  schema_version: string;
  pid: number;
  created_at: string;
  holder: LockHolder;
}

export interface StateLock {
  readonly path: string;
  /** Throws (state_contention) unless the lock file still carries this holder's token. */
  assertHeld(): Promise<void>;
  /** Removes the lock if it is still ours; never throws. */
  release(): Promise<void>;
}

export interface LockOptions {
  timeoutMs?: number;
  staleMs?: number;
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

let localityCache: { host: string; boot_id: string; pid_ns: string } | undefined;

/** What makes a pid meaningful: same host name, same boot, same pid namespace. */
function locality(): { host: string; boot_id: string; pid_ns: string } {
  if (!localityCache) {
    let pidNs = '';
    try {
      pidNs = readlinkSync('/proc/self/ns/pid');
    } catch {
      // not Linux, or no /proc
    }
    localityCache = { host: hostname(), boot_id: readText('/proc/sys/kernel/random/boot_id'), pid_ns: pidNs };
  }
  return localityCache;
}

/** State and start time (clock ticks since boot) of a process, from /proc; undefined elsewhere. */
function procStat(pid: number): { state: string; start: string } | undefined {
  const text = readText(`/proc/${pid}/stat`);
  const close = text.lastIndexOf(')');
  if (close < 0) return undefined;
  // Fields after "pid (comm)": state is field 3, starttime field 22.
  const fields = text.slice(close + 2).split(' ');
  if (fields.length < 20) return undefined;
  return { state: fields[0]!, start: fields[19]! };
}

/** A fresh owner record for this process, with a token never used before. */
export function ownerRecord(): LockRecord {
  const here = locality();
  return {
    schema_id: LOCK_SCHEMA_ID,
    schema_version: '1.0.0',
    pid: process.pid,
    created_at: new Date().toISOString(),
    holder: { pid: process.pid, ...here, start_time: procStat(process.pid)?.start ?? '', token: randomBytes(16).toString('hex') },
  };
}

function parseRecord(bytes: Uint8Array): LockRecord | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  const r = doc as Partial<LockRecord> | null;
  const h = r?.holder as Partial<LockHolder> | undefined;
  if (typeof r !== 'object' || r === null || r.schema_id !== LOCK_SCHEMA_ID || typeof h !== 'object' || h === null) return undefined;
  if (!Number.isInteger(h.pid) || h.pid! <= 0 || h.pid! > 0x7fffffff) return undefined; // never 0 or -1 (process groups)
  for (const k of ['host', 'boot_id', 'pid_ns', 'start_time', 'token'] as const) if (typeof h[k] !== 'string') return undefined;
  if (!/^[0-9a-f]{16,}$/.test(h.token!)) return undefined;
  return r as LockRecord;
}

/** true: provably gone; false: alive; undefined: another host, cannot tell. */
function holderGone(h: LockHolder): boolean | undefined {
  const here = locality();
  if (h.host !== here.host || h.boot_id !== here.boot_id || h.pid_ns !== here.pid_ns) return undefined;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return true;
    // EPERM: it runs, as another user.
  }
  const stat = procStat(h.pid);
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return true;
  if (stat && h.start_time !== '' && stat.start !== h.start_time) return true; // pid reused
  return false;
}

interface Observation {
  /** Identifies this lock instance: its token, or for a foreign lock its bytes, inode and mtime. */
  id: string;
  stale: boolean;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

/** The owner record's bytes: the start of an open lock file, never more than RECORD_LIMIT. */
async function recordBytes(handle: fs.FileHandle): Promise<Uint8Array> {
  const buf = new Uint8Array(RECORD_LIMIT);
  const { bytesRead } = await handle.read(buf, 0, RECORD_LIMIT, 0);
  return buf.subarray(0, bytesRead);
}

/** Looks at the lock file without following links or blocking; undefined when there is none. */
async function observe(file: string, staleMs: number): Promise<Observation | undefined> {
  let handle: fs.FileHandle | undefined;
  let stat: Stats | undefined;
  let bytes: Uint8Array = new Uint8Array(0);
  try {
    handle = await fs.open(file, READ_FLAGS);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // A symlink or something else we cannot open: judge it by its own mtime.
  }
  try {
    if (handle) {
      stat = await handle.stat();
      if (stat.isFile()) bytes = await recordBytes(handle);
    } else {
      stat = await fs.lstat(file);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  } finally {
    await handle?.close().catch(() => {});
  }
  if (!stat) return undefined;
  const old = Date.now() - stat.mtimeMs > staleMs;
  const record = parseRecord(bytes);
  if (record) {
    const gone = holderGone(record.holder);
    return { id: `token:${record.holder.token}`, stale: gone === true || (gone === undefined && old) };
  }
  const content = Buffer.from(bytes).toString('hex');
  return { id: `foreign:${digest(`${stat.dev}:${stat.ino}:${stat.mtimeMs}:${content}`)}`, stale: old };
}

const ioError = (what: string, err: unknown) =>
  new GaitError(`acquire rate limit lock ${what}: ${(err as Error).message}`, 'io_failure');

class HeldLock implements StateLock {
  private readonly timer: NodeJS.Timeout;
  constructor(readonly path: string, private readonly handle: fs.FileHandle, private readonly token: string, private readonly ino: number, staleMs: number) {
    // Keep the mtime fresh so that holders on other hosts never see this lock as stale.
    this.timer = setInterval(() => {
      const now = new Date();
      this.handle.utimes(now, now).catch(() => {});
    }, Math.max(100, Math.floor(staleMs / 3)));
    this.timer.unref();
  }

  private async stillHeld(): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.path, READ_FLAGS);
    } catch {
      return false;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile() || stat.ino !== this.ino) return false;
      return parseRecord(await recordBytes(handle))?.holder.token === this.token;
    } catch {
      return false;
    } finally {
      await handle.close().catch(() => {});
    }
  }

  async assertHeld(): Promise<void> {
    if (!(await this.stillHeld())) {
      throw new GaitError(`rate limit state lock lost: ${this.path} no longer holds this process's token`, 'state_contention');
    }
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    try {
      if (await this.stillHeld()) await fs.unlink(this.path);
    } catch {
      // Left behind, it names a dead pid once we exit: the next process takes it over.
    } finally {
      await this.handle.close().catch(() => {});
    }
  }
}

/** Creates `file` holding a fresh owner record, or returns undefined when it already exists. */
async function tryCreate(file: string, staleMs: number): Promise<HeldLock | undefined> {
  const record = ownerRecord();
  const text = `${JSON.stringify(record)}\n`;
  const token = record.holder.token;
  const tmp = `${file}.${token}.tmp`;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(tmp, 'wx', 0o600);
  } catch (err) {
    throw ioError(file, err);
  }
  const discard = async () => {
    await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
  };
  let ino: number;
  try {
    await handle.writeFile(text);
    await handle.sync();
    ino = (await handle.stat()).ino;
  } catch (err) {
    await discard();
    throw ioError(file, err);
  }
  try {
    await fs.link(tmp, file);
  } catch (err) {
    await discard();
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return undefined;
    if (NO_LINKS.has(code)) return createExclusive(file, text, token, staleMs);
    throw ioError(file, err);
  }
  // The lock is the link; the temporary name goes (a leftover is swept later).
  await fs.rm(tmp, { force: true }).catch(() => {});
  return new HeldLock(file, handle, token, ino, staleMs);
}

/** Exclusive create, then write; a failed write removes the file, which is checked to be ours. */
async function createExclusive(file: string, text: string, token: string, staleMs: number): Promise<HeldLock | undefined> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw ioError(file, err);
  }
  let ino = -1;
  try {
    ino = (await handle.stat()).ino;
    await handle.writeFile(text);
    await handle.sync();
  } catch (err) {
    const now = await fs.lstat(file).catch(() => undefined);
    if (now && now.ino === ino) await fs.unlink(file).catch(() => {});
    await handle.close().catch(() => {});
    throw ioError(file, err);
  }
  return new HeldLock(file, handle, token, ino, staleMs);
}

/** Removes the stale instance `seen` of `file` if this process wins the claim on it. */
async function breakStale(file: string, seen: Observation, staleMs: number, depth = 0): Promise<boolean> {
  if (depth > MAX_CLAIM_DEPTH) return false;
  const claimPath = `${file}.break-${digest(seen.id).slice(0, 32)}`;
  const claim = await tryCreate(claimPath, staleMs);
  if (!claim) {
    const other = await observe(claimPath, staleMs);
    if (other?.stale) await breakStale(claimPath, other, staleMs, depth + 1);
    return false;
  }
  try {
    const now = await observe(file, staleMs);
    if (!now || now.id !== seen.id || !now.stale) return false;
    await fs.unlink(file).catch((err) => {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    });
    return true;
  } finally {
    await claim.release();
  }
}

/** Deletes temporary and claim files of `lockPath` that were left behind long ago. */
async function sweep(lockPath: string, staleMs: number): Promise<void> {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || !(name.endsWith('.tmp') || name.startsWith(`${base}.break-`))) continue;
    const full = path.join(dir, name);
    const stat = await fs.lstat(full).catch(() => undefined);
    // A claim on an instance that is gone is harmless to remove; ours is the only live instance.
    if (stat && Date.now() - stat.mtimeMs > staleMs) await fs.rm(full, { force: true }).catch(() => {});
  }
}

/** Takes `lockPath`, breaking it only when its holder is provably gone; fails closed on timeout. */
export async function acquireStateLock(lockPath: string, options: LockOptions = {}): Promise<StateLock> {
  const timeoutMs = options.timeoutMs ?? LOCK_TIMEOUT_MS;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const held = await tryCreate(lockPath, staleMs);
    if (held) {
      await sweep(lockPath, staleMs);
      return held;
    }
    let seen: Observation | undefined;
    try {
      seen = await observe(lockPath, staleMs);
    } catch (err) {
      throw ioError(lockPath, err);
    }
    if (seen === undefined) continue; // released meanwhile: try again at once
    if (seen.stale && (await breakStale(lockPath, seen, staleMs))) continue;
    if (Date.now() >= deadline) {
      throw new GaitError(`rate limit state lock timeout: ${lockPath} held by another process`, 'state_contention');
    }
    await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 20) + Math.min(attempt, 10)));
  }
}
