// The build's code-cache warm-up (scripts/cli-code-cache.mjs, run by `npm install` / `npm run
// build`) runs gate eval; it used to leave trace_<id>.json in the directory the build ran from.
// Building must write nothing outside dist/. The test writes its cache elsewhere (--out), so the
// suite never rewrites the dist cache other tests use.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/cli-code-cache.mjs', import.meta.url));
const cwd = mkdtempSync(path.join(tmpdir(), 'gait-warmup-cwd-'));
const outDir = mkdtempSync(path.join(tmpdir(), 'gait-warmup-out-'));
afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
});

describe('code cache warm-up', () => {
  it('writes the cache and nothing in the working directory', () => {
    const out = path.join(outDir, 'cli-script.js.cache');
    const r = spawnSync(process.execPath, [SCRIPT, '--out', out], { cwd, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual([]);
    expect(readdirSync(outDir)).toEqual(['cli-script.js.cache']);
  }, 60_000);
});
