// `gait ui` as a user runs it (bin/gait.js, the built package): loopback only unless
// --allow-non-loopback (Gait's rule and error, checked against Gait when the oracle is there),
// the workbench's files with their content types, local files preloaded read-only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(REPO, 'bin/gait.js');
const LOCAL_ORACLE = join(REPO, '../shared/oracle/gait');
const ORACLE = process.env['GAIT_ORACLE'] || (existsSync(LOCAL_ORACLE) ? LOCAL_ORACLE : undefined);
const children: ChildProcess[] = [];

/** Starts `gait ui <args> --open-browser=false --json`; resolves with its startup JSON. */
function startUi(args: string[]): Promise<{ url: string; listen: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, 'ui', ...args, '--open-browser=false', '--json'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        const j = JSON.parse(line!);
        if (j.ok) resolve({ url: j.url, listen: j.listen, child });
        else reject(new Error(line));
      }
    });
    child.on('exit', (code) => reject(new Error(`gait ui exited ${code}: ${out}`)));
  });
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

const run = (bin: string, args: string[]) =>
  bin.endsWith('.js') ? spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 10_000 }) : spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 });

describe('gait ui', () => {
  it('serves the workbench on loopback with the right content types and a strict content security policy', async () => {
    const { url, listen } = await startUi(['--listen', '127.0.0.1:0']);
    expect(listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(url).toBe(`http://${listen}`);
    const types: Record<string, string> = {
      '/': 'text/html; charset=utf-8',
      '/app.js': 'text/javascript; charset=utf-8',
      '/engine.js': 'text/javascript; charset=utf-8',
      '/examples.js': 'text/javascript; charset=utf-8',
      '/style.css': 'text/css; charset=utf-8',
      '/core.wasm': 'application/wasm',
    };
    for (const [path, type] of Object.entries(types)) {
      const r = await fetch(url + path);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type'), path).toBe(type);
      expect(r.headers.get('content-security-policy'), path).toContain("connect-src 'self'");
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      // The engine and its WebAssembly are the package's own files (one copy of each in the package).
      const file = { '/': 'dist/ui/index.html', '/engine.js': 'dist/bundle/browser.js', '/core.wasm': 'dist/core.wasm' }[path] ?? `dist/ui${path}`;
      expect(new Uint8Array(await r.arrayBuffer())).toEqual(new Uint8Array(readFileSync(join(REPO, file))));
    }
    const wasm = await fetch(url + '/core.wasm');
    expect(WebAssembly.validate(new Uint8Array(await wasm.arrayBuffer()))).toBe(true);
    for (const path of ['/nope', '/../package.json', '/%2e%2e/package.json', '/dist/core.wasm', '/index.html/x']) {
      expect((await fetch(url + path)).status, path).toBe(404);
    }
    expect((await fetch(url + '/', { method: 'POST', body: 'x' })).status).toBe(405);
  });

  it('refuses a non-loopback address without --allow-non-loopback (exit 6, nothing listens), like Gait', async () => {
    for (const listen of ['0.0.0.0:0', ':0', '192.0.2.1:0', 'example.com:0']) {
      const r = run(BIN, ['ui', '--listen', listen, '--open-browser=false', '--json']);
      expect(r.status, listen).toBe(6);
      const j = JSON.parse(r.stdout);
      expect(j).toMatchObject({ ok: false, error: 'non-loopback --listen requires --allow-non-loopback', error_category: 'invalid_input' });
      if (ORACLE) {
        const g = run(ORACLE, ['ui', '--listen', listen, '--open-browser=false', '--json']);
        expect(g.status, `gait ${listen}`).toBe(6);
        expect(JSON.parse(g.stdout).error).toBe(j.error);
      }
    }
    const { listen } = await startUi(['--listen', '0.0.0.0:0', '--allow-non-loopback']);
    expect(listen).toMatch(/^0\.0\.0\.0:\d+$/);
  });

  it('accepts localhost and [::1] as loopback', async () => {
    const a = await startUi(['--listen', 'localhost:0']);
    expect(a.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect((await fetch(a.url + '/')).status).toBe(200);
    const b = await startUi(['--listen', '[::1]:0']);
    expect(b.listen).toMatch(/^\[::1\]:\d+$/);
    expect((await fetch(b.url + '/core.wasm')).headers.get('content-type')).toBe('application/wasm');
  });

  it('preloads --policy and --intent into the page, reading the files and never writing them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gait-ui-'));
    const policy = join(dir, 'p.yaml');
    const intent = join(dir, 'i.json');
    writeFileSync(policy, 'default_verdict: block\n# </script><script>alert(1)</script>\n');
    writeFileSync(intent, readFileSync(join(REPO, 'examples/gait/policy/intents/intent_delete.json')));
    const before = [statSync(policy).mtimeMs, statSync(intent).mtimeMs];
    const { url } = await startUi(['--listen', '127.0.0.1:0', '--policy', policy, '--intent', intent]);
    const html = await (await fetch(url + '/')).text();
    const json = /<script type="application\/json" id="preload">(.*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toContain('</script>');
    expect(JSON.parse(json)).toEqual({ policy: readFileSync(policy, 'utf8'), intent: readFileSync(intent, 'utf8') });
    // A later edit on disk shows on the next load.
    writeFileSync(policy, 'default_verdict: allow\n');
    const again = await (await fetch(url + '/')).text();
    expect(again).toContain('default_verdict: allow');
    expect(statSync(intent).mtimeMs).toBe(before[1]);
  });

  it('fails before listening when a preloaded file cannot be read', () => {
    const r = run(BIN, ['ui', '--listen', '127.0.0.1:0', '--policy', join(REPO, 'no-such.yaml'), '--open-browser=false', '--json']);
    expect(r.status).toBe(6);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error_category: 'invalid_input' });
  });

  it('has help, explain, and rejects positionals and unknown flags', () => {
    const help = run(BIN, ['ui', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('gait ui [--listen 127.0.0.1:7980]');
    expect(run(BIN, ['ui', '--explain']).status).toBe(0);
    const extra = run(BIN, ['ui', 'extra', '--json']);
    expect(extra.status).toBe(6);
    expect(JSON.parse(extra.stdout).error).toBe('unexpected positional arguments');
    expect(run(BIN, ['ui', '--bogus', '--json']).status).toBe(6);
  });
});
