// The rate-limit state file under attack: stale and dead locks, symlinked paths, malformed
// contents, special files, failed lock writes and processes killed mid-update. Every case must
// fail closed: never more allows than the limit, never a count lost, never an allow on an error.
import { mkdtempSync, writeFileSync, readFileSync, readdirSync, symlinkSync, lstatSync, mkdirSync, utimesSync, existsSync } from 'node:fs';
import { promises as fsp } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { gait, FIXTURES } from './run.js';
import { withStateFile } from '../../bindings/cli/state-file.js';
import { ownerRecord, acquireStateLock } from '../../bindings/cli/state-lock.js';
import { createHash } from 'node:crypto';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'gait-state-'));
const bin = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));
const INTENT = FIXTURES + 'policy-test/intent.json';
const LIMIT = 7;
const PROCESSES = 20;
// More trials for a soak run: GAIT_STATE_TRIALS=30 npx vitest run test/cli/state-file.test.ts
const TRIALS = Number(process.env['GAIT_STATE_TRIALS'] ?? 2);

const policyText = (requests: number) => `default_verdict: block
rules:
  - name: limited-write
    effect: allow
    match:
      tool_names: [tool.write]
    rate_limit:
      requests: ${requests}
      window: hour
      scope: tool_identity
`;

interface Proc {
  code: number;
  signal: NodeJS.Signals | null;
  out: string;
}

function start(args: string[], cwd: string): { child: ChildProcess; done: Promise<Proc> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const done = new Promise<Proc>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? -1, signal, out })));
  return { child, done };
}

function setup(requests = LIMIT): { dir: string; policy: string; state: string; args: (state: string, i: number) => string[] } {
  const dir = tempDir();
  const policy = path.join(dir, 'p.yaml');
  writeFileSync(policy, policyText(requests));
  const state = path.join(dir, 'st.json');
  const args = (s: string, i: number) => ['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-state', s,
    '--evaluation-time', '2026-03-10T14:30:00Z', '--trace-out', path.join(dir, `trace-${i}.json`), '--json'];
  return { dir, policy, state, args };
}

/** Reads a state file the way a strict reader must: exact shape, integer counts, no duplicates. */
function strictCounters(file: string): Record<string, number> {
  const text = readFileSync(file, 'utf8');
  const doc = JSON.parse(text);
  expect(Object.keys(doc)).toEqual(['schema_id', 'schema_version', 'counters']);
  expect(doc.schema_id).toBe('gait.gate.rate_limit_state');
  expect(doc.schema_version).toBe('1.0.0');
  expect(Array.isArray(doc.counters)).toBe(true);
  const out: Record<string, number> = {};
  for (const c of doc.counters) {
    expect(Object.keys(c)).toEqual(['key', 'count']);
    expect(Number.isSafeInteger(c.count) && c.count >= 0).toBe(true);
    expect(out[c.key]).toBeUndefined();
    out[c.key] = c.count;
  }
  return out;
}

const total = (file: string) => Object.values(strictCounters(file)).reduce((a, b) => a + b, 0);

/** Runs PROCESSES evaluations at once; returns the exit codes after checking every output. */
async function race(runs: Array<{ args: string[]; cwd: string }>): Promise<number[]> {
  const results = await Promise.all(runs.map((r) => start(r.args, r.cwd).done));
  for (const r of results) {
    expect([0, 1, 3]).toContain(r.code);
    const json = JSON.parse(r.out);
    if (r.code === 1) {
      // A lock timeout: exit 1 (Gait's category for lock contention), never an allow.
      expect(json.ok).toBe(false);
      expect(json.error).toMatch(/lock timeout/);
    } else {
      expect(json.ok).toBe(true);
    }
  }
  return results.map((r) => r.code);
}

const lockLeftovers = (dir: string) => readdirSync(dir).filter((n) => n.includes('.lock'));

function checkTrial(codes: number[], state: string, limit = LIMIT): void {
  const allowed = codes.filter((c) => c === 0).length;
  const answered = codes.filter((c) => c !== 1).length;
  if (process.env['GAIT_STATE_TRIALS']) console.log(`trial: ${allowed} allowed, ${answered - allowed} blocked, ${codes.length - answered} lock timeouts`);
  // Never more than the limit; every allow counted; a timeout (exit 1) is the only excuse for
  // fewer than the limit.
  expect(allowed).toBeLessThanOrEqual(limit);
  expect(allowed).toBe(Math.min(limit, answered));
  if (allowed > 0) expect(total(state)).toBe(allowed);
}

describe('stale locks (finding 1)', () => {
  it(`an old lock left behind: ${PROCESSES} processes x ${TRIALS} trials never exceed the limit`, async () => {
    let overshoot = 0;
    for (let t = 0; t < TRIALS; t++) {
      const { dir, state, args } = setup();
      // Left by an older version (a pid), by a crash before the write (empty), or by Gait.
      const leftovers = ['4242', '', '{"schema_id":"gait.gate.rate_limit_lock","schema_version":"1.0.0","pid":4242,"created_at":"2026-01-01T00:00:00Z"}\n'];
      writeFileSync(`${state}.lock`, leftovers[t % leftovers.length]!);
      const old = new Date(Date.now() - 60_000);
      utimesSync(`${state}.lock`, old, old);
      const codes = await race(Array.from({ length: PROCESSES }, (_, i) => ({ args: args(state, i), cwd: dir })));
      overshoot += Math.max(0, codes.filter((c) => c === 0).length - LIMIT);
      checkTrial(codes, state);
      expect(lockLeftovers(dir)).toEqual([]);
    }
    expect(overshoot).toBe(0);
  }, 60_000 + TRIALS * 20_000);

  it('a lock whose holder is alive on this host is never taken over, however old', async () => {
    const { dir, state, args } = setup();
    const record = ownerRecord();
    writeFileSync(`${state}.lock`, JSON.stringify(record));
    const old = new Date(Date.now() - 3600_000);
    utimesSync(`${state}.lock`, old, old);
    const results = await Promise.all(Array.from({ length: 4 }, (_, i) => start(args(state, i), dir).done));
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(JSON.parse(r.out).error).toMatch(/lock/);
    }
    expect(existsSync(state)).toBe(false);
    expect(JSON.parse(readFileSync(`${state}.lock`, 'utf8')).holder.token).toBe(record.holder.token);
  }, 30_000);

  it('a fresh lock whose holder died on this host is taken over at once', async () => {
    const { dir, state, args } = setup();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(JSON.stringify({pid: process.pid}))'], { encoding: 'utf8' });
    const pid = JSON.parse(dead.stdout).pid as number;
    const record = ownerRecord();
    writeFileSync(`${state}.lock`, JSON.stringify({ ...record, pid, holder: { ...record.holder, pid, start_time: '1', token: 'deadbeef'.repeat(4) } }));
    const codes = await race(Array.from({ length: 10 }, (_, i) => ({ args: args(state, i), cwd: dir })));
    expect(codes.filter((c) => c === 1)).toEqual([]);
    checkTrial(codes, state);
    expect(lockLeftovers(dir)).toEqual([]);
  }, 30_000);
});

describe('lock protocol details', () => {
  const deadRecord = (token: string) => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    const record = ownerRecord();
    return JSON.stringify({ ...record, pid, holder: { ...record.holder, pid, token } });
  };

  it('a breaker that died holding its claim does not wedge the lock', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'st.json.lock');
    const token = 'ab'.repeat(16);
    writeFileSync(lock, deadRecord(token));
    const claim = `${lock}.break-${createHash('sha256').update(`token:${token}`).digest('hex').slice(0, 32)}`;
    writeFileSync(claim, deadRecord('cd'.repeat(16)));
    const started = Date.now();
    const held = await acquireStateLock(lock);
    expect(Date.now() - started).toBeLessThan(2_000);
    await held.assertHeld();
    await held.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('many acquirers in one process: one holder at a time', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'st.json.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 30 }, async () => {
      const held = await acquireStateLock(lock, { timeoutMs: 20_000 });
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 2));
      inside--;
      await held.release();
    }));
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the holder keeps its lock fresh; a lost lock is noticed before writing', async () => {
    const dir = tempDir();
    const lock = path.join(dir, 'st.json.lock');
    const held = await acquireStateLock(lock, { staleMs: 300 });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await new Promise((r) => setTimeout(r, 400));
    expect(Date.now() - lstatSync(lock).mtimeMs).toBeLessThan(1_000);
    // Someone removed it and another process took it: the holder must not write.
    await fsp.unlink(lock);
    writeFileSync(lock, JSON.stringify(ownerRecord()));
    await expect(held.assertHeld()).rejects.toThrow(/lock lost/);
    await held.release();
    expect(existsSync(lock)).toBe(true); // not ours: left alone
  });

  it('temporary files left by killed writers are swept once old', async () => {
    const { dir, state, args } = setup();
    const leftovers = [`.st.json.0123456789abcdef.tmp`, `st.json.lock.${'ef'.repeat(16)}.tmp`, `st.json.lock.break-${'0'.repeat(32)}`];
    const old = new Date(Date.now() - 60_000);
    for (const name of leftovers) {
      writeFileSync(path.join(dir, name), '');
      utimesSync(path.join(dir, name), old, old);
    }
    writeFileSync(path.join(dir, '.st.json.fresh.tmp'), '');
    expect((await gait(args(state, 0), { cwd: dir })).exit).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes('st.json')).sort()).toEqual(['.st.json.fresh.tmp', 'st.json']);
  });
});

describe('symlinked state paths (finding 2)', () => {
  it('the file and a symlink to it share one set of counters; the symlink stays a symlink', async () => {
    for (let t = 0; t < TRIALS; t++) {
      const { dir, state, args } = setup();
      writeFileSync(state, '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[]}\n');
      mkdirSync(path.join(dir, 'other'));
      const link = path.join(dir, 'other', 'link.json');
      symlinkSync('../st.json', link);
      const codes = await race(Array.from({ length: PROCESSES }, (_, i) => ({ args: args(i % 2 ? link : state, i), cwd: dir })));
      checkTrial(codes, state);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(lockLeftovers(dir)).toEqual([]);
      expect(lockLeftovers(path.join(dir, 'other'))).toEqual([]);
    }
  }, 60_000 + TRIALS * 20_000);

  it('a dangling symlink: the target is created, the link kept', async () => {
    const { dir, state, args } = setup();
    const link = path.join(dir, 'link.json');
    symlinkSync('st.json', link);
    const r = await start(args(link, 0), dir).done;
    expect(r.code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(total(state)).toBe(1);
  });
});

const GAIT_WRITTEN = `{
  "schema_id": "gait.gate.rate_limit_state",
  "schema_version": "1.0.0",
  "counters": [
    {
      "key": "hour|tool_identity|2026-03-10T14:00:00Z|tool.write|example-user",
      "count": 3
    }
  ]
}
`;

describe('malformed state files fail closed (finding 3)', () => {
  const bad: Array<[string, string]> = [
    ['empty file', ''],
    ['whitespace', '  \n'],
    ['empty object', '{}'],
    ['array', '[]'],
    ['null', 'null'],
    ['null counters', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":null}'],
    ['no schema', '{"counters":[]}'],
    ['wrong schema_id', '{"schema_id":"x","schema_version":"1.0.0","counters":[]}'],
    ['wrong schema_version', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"2.0.0","counters":[]}'],
    ['case-variant key', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","Counters":[{"key":"a|b|c|d","count":1}]}'],
    ['duplicate member', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":9}],"counters":[]}'],
    ['unknown member', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[],"extra":1}'],
    ['fractional count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":1.5}]}'],
    ['exponent count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":1e1}]}'],
    ['negative count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":-1}]}'],
    ['huge count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":99999999999999999999}]}'],
    ['string count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":"1"}]}'],
    ['missing count', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d"}]}'],
    ['entry member twice', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":5,"count":0}]}'],
    ['duplicate counter keys', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|d","count":5},{"key":"a|b|c|d","count":0}]}'],
    ['empty counter key', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"","count":1}]}'],
    ['null entry', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[null]}'],
    ['trailing garbage', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[]} x'],
    ['two documents', '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[]}{}'],
    ['byte order mark', '\ufeff{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[]}'],
  ];
  for (const [name, text] of bad) {
    it(`${name}: exit 6 naming the file, file untouched`, async () => {
      const { dir, state, args } = setup();
      writeFileSync(state, text);
      const r = await gait(args(state, 0), { cwd: dir });
      expect(r.exit).toBe(6);
      expect(r.json).toMatchObject({ ok: false, error_category: 'invalid_input' });
      expect(r.json.error).toContain(state);
      expect(r.json.error).toMatch(/rate limit state/);
      expect(readFileSync(state, 'utf8')).toBe(text);
      expect(lockLeftovers(dir)).toEqual([]);
    });
  }

  it('invalid UTF-8 is refused', async () => {
    const { dir, state, args } = setup();
    const bytes = Buffer.concat([Buffer.from('{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[{"key":"a|b|c|'), Buffer.from([0xff]), Buffer.from('","count":1}]}')]);
    writeFileSync(state, bytes);
    const r = await gait(args(state, 0), { cwd: dir });
    expect(r.exit).toBe(6);
    expect(readFileSync(state)).toEqual(bytes);
  });

  it('a file as Gait writes it loads and keeps counting', async () => {
    const { dir, state, args } = setup();
    writeFileSync(state, GAIT_WRITTEN);
    const r = await gait(args(state, 0), { cwd: dir });
    expect(r.exit).toBe(0);
    expect(r.json.rate_limit_used).toBe(4);
    expect(strictCounters(state)).toEqual({ 'hour|tool_identity|2026-03-10T14:00:00Z|tool.write|example-user': 4 });
  });

  it('an empty counters array is valid; a missing file starts empty', async () => {
    const { dir, state, args } = setup();
    writeFileSync(state, '{"schema_id":"gait.gate.rate_limit_state","schema_version":"1.0.0","counters":[]}');
    expect((await gait(args(state, 0), { cwd: dir })).json.rate_limit_used).toBe(1);
    const fresh = path.join(dir, 'sub', 'fresh.json');
    expect((await gait(args(fresh, 1), { cwd: dir })).json.rate_limit_used).toBe(1);
    expect(total(fresh)).toBe(1);
  });
});

// Differential check against the real Gait: GAIT_ORACLE=/path/to/gait npx vitest run test/cli/state-file.test.ts
const ORACLE = process.env['GAIT_ORACLE'];
describe.skipIf(!ORACLE)('state files shared with Gait', () => {
  it('Gait reads what we write and we read what Gait writes (wall-clock windows)', async () => {
    const { dir, policy, state } = setup();
    mkdirSync(path.join(dir, '.gait-out')); // Gait's first-run bug: it needs the folder
    const args = ['gate', 'eval', '--policy', policy, '--intent', INTENT, '--rate-limit-state', state, '--json'];
    const oracle = () => JSON.parse(spawnSync(ORACLE!, args, { cwd: dir, encoding: 'utf8' }).stdout);
    expect(oracle().rate_limit_used).toBe(1);
    const ours = await gait(args, { cwd: dir });
    expect(ours.exit).toBe(0);
    expect(ours.json.rate_limit_used).toBe(2);
    expect(oracle().rate_limit_used).toBe(3);
    expect(total(state)).toBe(3);
  });
});

describe('special files (finding 5)', () => {
  it('a directory as state path: exit 6 naming the path', async () => {
    const { dir, state, args } = setup();
    mkdirSync(state);
    const r = await gait(args(state, 0), { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toContain(state);
    expect(r.json.error).toMatch(/directory/);
    expect(lockLeftovers(dir)).toEqual([]);
  });

  it('a FIFO as state path: exit 6 at once, no hang', async () => {
    const { dir, state, args } = setup();
    expect(spawnSync('mkfifo', [state]).status).toBe(0);
    const { child, done } = start(args(state, 0), dir);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const r = await done;
    clearTimeout(timer);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(6);
    expect(JSON.parse(r.out).error).toContain(state);
    expect(lstatSync(state).isFIFO()).toBe(true);
  }, 20_000);

  it('a symlink to a device: exit 6, the device untouched', async () => {
    const { dir, state, args } = setup();
    symlinkSync('/dev/zero', state);
    const r = await gait(args(state, 0), { cwd: dir });
    expect(r.exit).toBe(6);
    expect(r.json.error).toContain(state);
    expect(lstatSync('/dev/zero').isCharacterDevice()).toBe(true);
  });
});

describe('a failed lock write leaves nothing behind (finding 4)', () => {
  afterEach(() => vi.restoreAllMocks());

  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });

  /** Every write through a handle opened on a matching path fails as on a full disk. */
  function failWrites(match: (file: string) => boolean): void {
    const realOpen = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (...a: Parameters<typeof fsp.open>) => {
      const handle = await realOpen(...a);
      if (!match(String(a[0]))) return handle;
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write' || prop === 'writeFile' || prop === 'writev') return () => Promise.reject(enospc());
          const v = Reflect.get(target, prop);
          return typeof v === 'function' ? v.bind(target) : v;
        },
      });
    });
  }

  for (const linkWorks of [true, false]) {
    it(`full disk while taking the lock${linkWorks ? '' : ' (no hard links)'}: error, no lock file left`, async () => {
      const dir = tempDir();
      const state = path.join(dir, 'st.json');
      // With hard links the record is written to a temporary file first; without, to the lock.
      failWrites(linkWorks ? (f) => f.includes('.lock') : (f) => f.endsWith('.lock'));
      if (!linkWorks) vi.spyOn(fsp, 'link').mockRejectedValue(Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }));
      let called = false;
      await expect(withStateFile(state, () => (called = true))).rejects.toThrow(/no space left/);
      expect(called).toBe(false);
      expect(readdirSync(dir)).toEqual([]);
      vi.restoreAllMocks();
      // and the next evaluation is not blocked by anything
      await expect(withStateFile(state, (c) => c.set('k|a|b|c', 1))).resolves.toBeDefined();
      expect(readdirSync(dir)).toEqual(['st.json']);
    });
  }
});

/** A 16 KiB tmpfs (needs root and a sandbox that allows mounts); undefined when unavailable. */
function smallDisk(): { dir: string; unmount: () => void } | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const dir = tempDir();
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', dir]).status !== 0) return undefined;
  return { dir, unmount: () => void spawnSync('umount', [dir]) };
}

describe('a really full disk (tmpfs, skipped where mounting is not allowed)', () => {
  const disk = smallDisk();
  if (disk) disk.unmount();
  it.skipIf(!disk)('full before the lock, or with room for the lock only: never an allow without its count, nothing left behind', async () => {
    const { dir: work, policy, args } = setup();
    for (const fillKiB of [12, 8]) {
      const small = smallDisk()!;
      try {
        const state = path.join(small.dir, 'st.json');
        expect((await gait(args(state, 0), { cwd: work })).exit).toBe(0);
        const before = readFileSync(state, 'utf8');
        spawnSync('dd', ['if=/dev/zero', `of=${path.join(small.dir, 'fill')}`, 'bs=1k', `count=${fillKiB}`]);
        const r = await gait(args(state, 1), { cwd: work });
        if (r.exit === 0) {
          expect(total(state)).toBe(2);
        } else {
          expect(r.exit).toBe(1);
          expect(r.json.error).toMatch(/no space left/);
          expect(readFileSync(state, 'utf8')).toBe(before);
        }
        expect(readdirSync(small.dir).sort()).toEqual(['fill', 'st.json']);
      } finally {
        small.unmount();
      }
    }
    void policy;
  });
});

describe('processes killed mid-update (finding 6)', () => {
  it('a holder killed while holding the lock does not block the next run', async () => {
    const { dir, state, args } = setup();
    const module = new URL('../../dist/cli/state-file.js', import.meta.url).href;
    // Takes the lock, says so, then hangs inside the update until it is killed.
    const holder = spawn(process.execPath, ['--input-type=module', '-e', `
      const { withStateFile } = await import(${JSON.stringify(module)});
      await withStateFile(${JSON.stringify(state)}, () => { console.log('held'); Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); });
    `]);
    await new Promise<void>((resolve) => holder.stdout.on('data', (d) => String(d).includes('held') && resolve()));
    const gone = new Promise((resolve) => holder.on('close', resolve));
    holder.kill('SIGKILL');
    await gone;
    expect(lockLeftovers(dir)).toEqual(['st.json.lock']);
    const started = Date.now();
    const next = await start(args(state, 0), dir).done;
    expect(next.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(total(state)).toBe(1);
    expect(lockLeftovers(dir)).toEqual([]);
  }, 30_000);

  it(`kill -9 at random moments: the file stays valid and the next run is not blocked`, async () => {
    for (let t = 0; t < TRIALS; t++) {
      const { dir, state, args } = setup(1000);
      const procs = Array.from({ length: PROCESSES }, (_, i) => start(args(state, i), dir));
      const kills = procs.map(({ child }) => {
        if (Math.random() < 0.5) return Promise.resolve();
        return new Promise<void>((resolve) => setTimeout(() => { child.kill('SIGKILL'); resolve(); }, 50 + Math.random() * 1500));
      });
      await Promise.all(kills);
      const results = await Promise.all(procs.map((p) => p.done));
      const allowed = results.filter((r) => r.code === 0).length;
      // Each allow was counted; a killed process may have counted without reporting.
      if (existsSync(state)) expect(total(state)).toBeGreaterThanOrEqual(allowed);
      const started = Date.now();
      const next = await start(args(state, 99), dir).done;
      expect(next.code).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(total(state)).toBeGreaterThanOrEqual(allowed + 1);
    }
  }, 60_000 + TRIALS * 20_000);
});
