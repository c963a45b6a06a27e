// The `next:` hints the CLI prints (after `gait demo --policy` and `gait policy init`) run as
// printed from a user's project: `npx gait ...` for a project's dependency, `gait ...` when this
// package's `gait` is on the PATH (a global install), and paths that exist from the working
// directory. Each case lays out a project with the built package in node_modules/, runs the
// command there, then runs every hint through the shell, exactly as printed.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gait, REPO } from './run.js';

const BUILT = existsSync(path.join(REPO, 'dist/bundle/cli-script.js'));
let root: string;
let project: string;
let globalBin: string;

beforeAll(() => {
  if (!BUILT) return;
  root = mkdtempSync(path.join(tmpdir(), 'gait-next-'));
  project = path.join(root, 'my project'); // a space: hints must quote what they print
  const pkg = path.join(project, 'node_modules/gait-wasm');
  for (const f of ['package.json', 'bin/gait.js', 'dist/core.wasm', 'dist/bundle', 'examples/gait', 'examples/policy_templates']) {
    cpSync(path.join(REPO, f), path.join(pkg, f), { recursive: true });
  }
  mkdirSync(path.join(project, 'node_modules/.bin'));
  symlinkSync('../gait-wasm/bin/gait.js', path.join(project, 'node_modules/.bin/gait'));
  globalBin = path.join(root, 'global-bin');
  mkdirSync(globalBin);
  symlinkSync(path.join(pkg, 'bin/gait.js'), path.join(globalBin, 'gait'));
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** node and npx on the PATH, and nothing else that could answer `gait`. */
const basePath = (): string => [path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter);

function run(command: string, args: string[], PATH: string) {
  const r = spawnSync(command, args, { cwd: project, env: { ...process.env, PATH, npm_config_update_notifier: 'false' }, encoding: 'utf8', timeout: 60_000 });
  return { exit: r.status, stdout: r.stdout, stderr: r.stderr };
}
const installed = (args: string[], PATH: string) => run(process.execPath, [path.join(project, 'node_modules/.bin/gait'), ...args], PATH);
const shell = (line: string, PATH: string) => run('/bin/sh', ['-c', line], PATH);
const nextLine = (stdout: string): string => stdout.split('\n').find((l) => l.startsWith('next: '))!.slice('next: '.length);

describe.skipIf(!BUILT)('next: hints, from a user\'s project', () => {
  it('demo --policy: npx gait policy test on the installed examples, which runs', () => {
    const r = installed(['demo', '--policy'], basePath());
    expect(r.exit).toBe(0);
    const hint = nextLine(r.stdout);
    expect(hint).toBe(
      'npx gait policy test node_modules/gait-wasm/examples/gait/policy/base_high_risk.yaml node_modules/gait-wasm/examples/gait/policy/intents/intent_tainted_egress.json --json',
    );
    const ran = shell(hint, basePath());
    expect(JSON.parse(ran.stdout)).toMatchObject({ ok: true, verdict: 'block' });
    expect(ran.exit).toBe(3);
  }, 120_000);

  it('policy init: npx gait policy validate / fmt on the written file, which run', () => {
    const r = installed(['policy', 'init', 'baseline-mediumrisk', '--out', 'policies/my policy.yaml'], basePath());
    expect(r.exit).toBe(0);
    const hints = nextLine(r.stdout).split(' | ');
    expect(hints).toEqual([
      "npx gait policy validate 'policies/my policy.yaml' --json",
      "npx gait policy fmt 'policies/my policy.yaml' --write --json",
      "npx gait policy test 'policies/my policy.yaml' <intent.json> --json",
    ]);
    for (const hint of hints.slice(0, 2)) {
      const ran = shell(hint, basePath());
      expect(ran.exit, `${hint}\n${ran.stdout}${ran.stderr}`).toBe(0);
    }
  }, 120_000);

  it('policy init --json: the same commands in next_commands', () => {
    const r = installed(['policy', 'init', 'baseline-lowrisk', '--out', 'p.yaml', '--json'], basePath());
    expect(JSON.parse(r.stdout).next_commands).toEqual(['npx gait policy validate p.yaml --json', 'npx gait policy fmt p.yaml --write --json', 'npx gait policy test p.yaml <intent.json> --json']);
  });

  it('with this package\'s gait on the PATH (a global install): plain gait, which runs', () => {
    const PATH = [globalBin, basePath()].join(path.delimiter);
    const r = installed(['demo', '--policy'], PATH);
    const hint = nextLine(r.stdout);
    expect(hint.startsWith('gait policy test node_modules/gait-wasm/examples/gait/policy/base_high_risk.yaml ')).toBe(true);
    expect(shell(hint, PATH).exit).toBe(3);
  }, 120_000);

  it('a node_modules/.bin on the PATH (npm and npx add it for their child) does not count as a global install', () => {
    const PATH = [path.join(project, 'node_modules/.bin'), basePath()].join(path.delimiter);
    expect(nextLine(installed(['demo', '--policy'], PATH).stdout).startsWith('npx gait ')).toBe(true);
  });

  it('examples outside the working directory are named by their absolute path', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'gait-elsewhere-'));
    try {
      const r = await gait(['demo', '--policy'], { cwd: elsewhere, env: { PATH: basePath() } });
      expect(nextLine(r.stdout)).toBe(
        `npx gait policy test ${path.join(REPO, 'examples/gait/policy/base_high_risk.yaml')} ${path.join(REPO, 'examples/gait/policy/intents/intent_tainted_egress.json')} --json`,
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
