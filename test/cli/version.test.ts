// `gait --version`, `-v` and `version` (cli.md): Gait v1.3.6 prints `gait <version>` (or
// `{"ok":true,"version":...}` with --json) and ignores further arguments; `version --explain`
// describes the command. Ours prints its own version and the Gait release it is compatible with.
// With the oracle present (GAIT_ORACLE, or ../shared/oracle/gait) Gait's answers to the same
// arguments are checked to have the same shape and exit codes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GAIT_VERSION, VERSION } from '../../bindings/version.js';
import { gait, gaitProcess, REPO } from './run.js';

const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(path.join(REPO, '../shared/oracle/gait')) ? path.join(REPO, '../shared/oracle/gait') : undefined);
const TEXT = `gait ${VERSION} (gait-wasm, compatible with Gait ${GAIT_VERSION})\n`;

const TEXT_ARGS = [['--version'], ['-v'], ['version'], ['--version', 'extra'], ['version', '--bogus'], ['version', '--help'], ['version', '-h']];
const JSON_ARGS = [['--version', '--json'], ['-v', '--json'], ['version', '--json']];

describe('gait --version / -v / version', () => {
  it('is compatible with Gait 1.3.6', () => {
    expect(GAIT_VERSION).toBe('1.3.6');
  });

  for (const args of TEXT_ARGS) {
    it(`gait ${args.join(' ')} prints the version`, async () => {
      const r = await gait(args);
      expect(r).toMatchObject({ exit: 0, stdout: TEXT, stderr: '' });
    });
  }

  for (const args of JSON_ARGS) {
    it(`gait ${args.join(' ')} prints it as JSON`, async () => {
      const r = await gait(args);
      expect(r.exit).toBe(0);
      expect(r.json).toEqual({ ok: true, version: VERSION, compatible_gait_version: GAIT_VERSION, correlation_id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    });
  }

  it('gait version --explain describes the command, as Gait does', async () => {
    expect(await gait(['version', '--explain'])).toMatchObject({ exit: 0, stdout: 'Print the CLI version.\n' });
  });

  it('the installed command answers -v', () => {
    expect(gaitProcess(['-v'])).toMatchObject({ exit: 0, stdout: TEXT });
  });

  describe.skipIf(!ORACLE)('beside Gait', () => {
    const oracle = (args: string[]) => spawnSync(ORACLE!, args, { encoding: 'utf8', timeout: 30_000 });
    for (const args of [...TEXT_ARGS, ['version', '--explain']]) {
      it(`gait ${args.join(' ')}`, async () => {
        const ref = oracle(args);
        const ours = await gait(args);
        expect(ours.exit).toBe(ref.status);
        if (args.includes('--explain')) expect(ours.stdout).toBe(ref.stdout);
        else {
          expect(ref.stdout).toBe(`gait ${GAIT_VERSION}\n`);
          expect(ours.stdout.startsWith(`gait ${VERSION}`)).toBe(true);
        }
      });
    }
    for (const args of JSON_ARGS) {
      it(`gait ${args.join(' ')}`, async () => {
        const ref = oracle(args);
        const ours = await gait(args);
        expect(ours.exit).toBe(ref.status);
        const refJson = JSON.parse(ref.stdout);
        expect(refJson).toMatchObject({ ok: true, version: GAIT_VERSION });
        // Gait's keys, plus ours.
        expect(Object.keys(ours.json).sort()).toEqual([...Object.keys(refJson), 'compatible_gait_version'].sort());
      });
    }
  });
});
