// The quick start (examples/quick-start/README.md, which the README shows) runs as written: its
// `npm install` line installs this package, and its JavaScript block, saved as the file its first
// comment names, prints what its comments say. The code is read from the markdown, so page and
// test cannot drift apart.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = readFileSync(path.join(REPO, 'examples/quick-start/README.md'), 'utf8');
const BUILT = existsSync(path.join(REPO, 'dist/bundle/node.js'));

/** The fenced code blocks of a markdown page, with their language. */
function codeBlocks(markdown: string): { lang: string; code: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1]!, code: m[2]! }));
}

const blocks = codeBlocks(PAGE);
const install = blocks.find((b) => b.lang === 'sh')!;
const program = blocks.find((b) => b.lang === 'js')!;
let dir: string | undefined;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the quick start', () => {
  it('is what the README shows under "Quick start"', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Quick start\n'), readme.indexOf('\n## ', readme.indexOf('\n## Quick start\n') + 1));
    expect(codeBlocks(section)).toEqual([install, program]);
  });

  it('is short: install, a ten-line policy, an intent, createGate and a decision in under 30 lines', () => {
    expect(install.code.trim()).toBe('npm install gait-wasm');
    const lines = install.code.trim().split('\n').length + program.code.trim().split('\n').length;
    expect(lines).toBeLessThan(30);
    const policy = /createGate\(`\n([\s\S]*?)`\)/.exec(program.code)![1]!.trim().split('\n');
    expect(policy.length).toBeLessThanOrEqual(10);
    expect(program.code).toMatch(/tool_name/);
    expect(program.code).toMatch(/identity.*workspace.*risk_class/);
  });

  it.skipIf(!BUILT)('runs as written and prints what its comments say', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gait-quick-start-'));
    // `npm install gait-wasm`, with this checkout as the package.
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(REPO, path.join(dir, 'node_modules/gait-wasm'), 'dir');
    writeFileSync(path.join(dir, 'package.json'), '{"type":"module","private":true}\n');
    const [, file, command] = /^\/\/ (\S+): (.+)$/m.exec(program.code)!;
    expect(command).toBe(`node ${file}`);
    writeFileSync(path.join(dir, file!), program.code);
    const r = spawnSync(process.execPath, [file!], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const expected = [...program.code.matchAll(/^console\.log\(.*\); \/\/ (.+)$/gm)].map((m) => m[1]);
    expect(expected).toEqual(['allow', 'block']);
    expect(r.stdout).toBe(expected.map((line) => `${line}\n`).join(''));
  });
});
