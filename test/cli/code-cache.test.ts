// bin/gait.js runs the CLI script (dist/bundle/cli-script.js) with the V8 code cache written by
// scripts/cli-code-cache.mjs at build time; without the cache it must behave the same.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../dist/bundle/cli-script.js', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/gait.js', import.meta.url));

function gait(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], { cwd: tmpdir(), encoding: 'utf8', env: { ...process.env, ...env } });
}

describe('CLI code cache', () => {
  it('the build writes a cache that this Node accepts', () => {
    const s = new Script(readFileSync(script, 'utf8'), { filename: script, cachedData: readFileSync(`${script}.cache`) });
    expect(s.cachedDataRejected).toBe(false);
  });

  it('a rejected cache only costs the compile', () => {
    const s = new Script(readFileSync(script, 'utf8'), { filename: script, cachedData: Buffer.from('not a code cache') });
    expect(s.cachedDataRejected).toBe(true);
    expect(typeof s.runInThisContext()).toBe('function');
  });

  it('bin/gait.js gives the same answers with and without the cache, from any cwd', () => {
    for (const args of [['version', '--json'], ['policy', 'validate', '/nonexistent/p.yaml', '--json'], ['nope']]) {
      const cached = gait(args);
      const plain = gait(args, { GAIT_NO_CODE_CACHE: '1' });
      expect(cached.status).toBe(plain.status);
      expect(cached.stdout.replace(/"correlation_id":"[0-9a-f]+"/, '')).toBe(plain.stdout.replace(/"correlation_id":"[0-9a-f]+"/, ''));
      expect(cached.stderr).toBe(plain.stderr);
    }
  });
});
