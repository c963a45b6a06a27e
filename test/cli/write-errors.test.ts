// Write failures name the file they were writing, and a full disk is an I/O failure (exit 1), not
// invalid input. ENOSPC is injected (no small filesystem can be mounted here, and a copy of
// /dev/full is refused as an output before anything is written): writes under the test's output
// folder fail with ENOSPC, whichever fs call makes them.
import { promises as fsp, mkdtempSync, mkdirSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { gait, FIXTURES } from './run.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(() => vi.restoreAllMocks());

function setup(): { dir: string; out: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'gait-enospc-'));
  dirs.push(dir);
  const out = path.join(dir, 'out');
  mkdirSync(out);
  return { dir, out };
}

const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

/** Every write of data into `folder` fails with ENOSPC (files are still created, as on a full disk). */
function diskFullUnder(folder: string): void {
  const inside = (p: unknown) => typeof p === 'string' && p.startsWith(folder + path.sep);
  const realOpen = fsp.open.bind(fsp);
  const realWriteFile = fsp.writeFile.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const handle = await realOpen(...args);
    if (inside(args[0])) {
      handle.writeFile = async () => {
        throw enospc();
      };
      handle.write = (async () => {
        throw enospc();
      }) as typeof handle.write;
    }
    return handle;
  });
  vi.spyOn(fsp, 'writeFile').mockImplementation(async (...args: Parameters<typeof fsp.writeFile>) => {
    if (inside(args[0])) {
      await realWriteFile(args[0], '');
      throw enospc();
    }
    return realWriteFile(...args);
  });
}

describe('a full disk', () => {
  it('gate eval: the trace write error names the trace file, exit 1, nothing left behind', async () => {
    const { dir, out } = setup();
    const trace = path.join(out, 'trace.json');
    diskFullUnder(out);
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy/base_high_risk.yaml', '--intent', FIXTURES + 'policy/intents/intent_read.json', '--trace-out', trace, '--json'], { cwd: dir });
    expect(r.json.error).toBe(`write trace record: write ${trace}: no space left on device`);
    expect(r.exit).toBe(1);
    expect(r.json.error_category).toBe('internal_failure');
    expect(readdirSync(out)).toEqual([]);
  });

  it('gate eval without --json: the message names the file too', async () => {
    const { dir, out } = setup();
    const trace = path.join(out, 'trace.json');
    diskFullUnder(out);
    const r = await gait(['gate', 'eval', '--policy', FIXTURES + 'policy/base_high_risk.yaml', '--intent', FIXTURES + 'policy/intents/intent_read.json', '--trace-out', trace], { cwd: dir });
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe(`gate eval error: write trace record: write ${trace}: no space left on device\n`);
  });

  it('approve: the token write error names the token file, exit 1', async () => {
    const { dir, out } = setup();
    const token = path.join(out, 'token.json');
    diskFullUnder(out);
    const r = await gait(['approve', '--intent-digest', 'a'.repeat(64), '--policy-digest', 'b'.repeat(64), '--ttl', '1h', '--scope', 'tool:tool.write', '--approver', 'me', '--reason-code', 'R', '--out', token, '--json'], { cwd: dir });
    expect(r.json.error).toBe(`write approval token: write ${token}: no space left on device`);
    expect(r.exit).toBe(1);
    expect(existsSync(token)).toBe(false);
    expect(readdirSync(out)).toEqual([]);
  });

  it('keys init: the key write error names the key file, exit 1', async () => {
    const { dir, out } = setup();
    diskFullUnder(out);
    const r = await gait(['keys', 'init', '--out-dir', out, '--json'], { cwd: dir });
    expect(r.json.error).toBe(`write private key: write ${path.join(out, 'gait_private.key')}: no space left on device`);
    expect(r.exit).toBe(1);
    expect(readdirSync(out)).toEqual([]);
  });
});
