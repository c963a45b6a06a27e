// Every example runs as its README says: Node and Deno scripts gating a fake file-writing tool,
// the browser page (served on loopback, clicked in headless Chromium, screenshotted), and the
// Cloudflare worker under a real `workerd serve`. Then the packed package, installed into a
// scratch project, runs the same examples by package name.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from './runtimes.mjs';
// @ts-expect-error plain ESM helper without type declarations
import { startServer } from '../../examples/browser/serve.mjs';

const ROOT: string = R.ROOT;
const SLOW = 120_000;
const scratch = mkdtempSync(join(tmpdir(), 'gait-examples-'));
const KEEP = process.env.GAIT_KEEP_SCREENSHOT; // a path: keep the browser example's screenshot there
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const EXPECTED_TOOL_OUTPUT = [
  'write a note in the sandbox: allow [sandboxed_write] -> executed: wrote 16 bytes',
  'write outside the sandbox: block [endpoint_path_not_allowlisted,sandboxed_write,write_outside_sandbox] -> not executed',
  'overwrite a file: require_approval [approval_token_missing,destructive_apply_requires_approval,sandboxed_write] -> not executed',
  'plan an overwrite: dry_run [plan_phase_non_destructive,sandboxed_write] -> not executed (dry run)',
  'a call without context: error -> not executed (gate evaluation failed, tool not executed: normalize intent: context.identity is required)',
  'files written: {"/tmp/gait-example/notes.txt":"hello from apply"}',
  'audit trail: allow, block, require_approval, dry_run',
  '',
].join('\n');

const NO_COLOR = { ...process.env, NO_COLOR: '1' };

describe('examples', () => {
  it('node: node examples/node/main.mjs', async () => {
    const r = await R.exec(process.execPath, ['examples/node/main.mjs']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(EXPECTED_TOOL_OUTPUT);
  }, SLOW);

  it('deno: deno run --allow-read examples/deno/main.ts', async () => {
    const r = await R.exec(R.bin('deno'), ['run', '--allow-read', '--no-lock', 'examples/deno/main.ts'], { env: NO_COLOR });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(EXPECTED_TOOL_OUTPUT);
  }, SLOW);

  // Skips only where no Chromium can be had (runtimes/chromium.mjs), and says so; .ci/run fails then.
  const noBrowser: string | undefined = R.browserUnavailable();
  if (noBrowser) console.warn(`\n*** BROWSER CASES SKIPPED: ${noBrowser} ***\n`);
  it.skipIf(noBrowser)(`browser: the page loads the engine and shows the decision for a clicked intent${noBrowser ? ` SKIPPED: ${noBrowser}` : ''}`, async () => {
    const server = await startServer(0);
    const chromium = await R.launchChromium();
    try {
      const page = chromium.context.pages()[0] ?? (await chromium.context.newPage());
      const errors: string[] = [];
      page.on('pageerror', (e: Error) => errors.push(String(e)));
      await page.setViewportSize({ width: 1100, height: 900 });
      await page.goto(server.url);
      await page.waitForFunction(() => !(document.getElementById('evaluate') as HTMLButtonElement).disabled, null, { timeout: 30_000 });
      expect(await page.textContent('#status')).toMatch(/^engine ready \(browser build, [\d.]+ ms\)/);

      const verdicts: Record<string, string> = {};
      for (const preset of ['read a file', 'write a file', 'send external data out', 'delete a file', 'an invalid intent']) {
        await page.selectOption('#preset', preset);
        await page.click('#evaluate');
        verdicts[preset] = (await page.getAttribute('#verdict', 'data-verdict'))!;
      }
      expect(verdicts).toEqual({
        'read a file': 'allow',
        'write a file': 'require_approval',
        'send external data out': 'block',
        'delete a file': 'block',
        'an invalid intent': 'error',
      });
      expect(await page.textContent('#result')).toBe('GaitError: normalize intent: context.identity is required');

      await page.selectOption('#preset', 'send external data out');
      await page.click('#evaluate');
      const decision = JSON.parse((await page.textContent('#result'))!);
      expect(decision).toMatchObject({ ok: true, verdict: 'block', reason_codes: ['approval_required_for_write', 'blocked_tainted_egress'], violations: ['tainted_data_exfiltration'], matched_rule: 'approve-writes' });

      // It renders: a real screenshot of the page with the decision on it.
      const png: Buffer = await page.screenshot({ fullPage: true, path: join(scratch, 'browser-example.png') });
      if (KEEP) cpSync(join(scratch, 'browser-example.png'), KEEP);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.length).toBeGreaterThan(20_000);
      expect(await page.isVisible('#verdict')).toBe(true);
      expect(errors).toEqual([]);

      // A core.wasm that cannot be fetched: a typed error on the page, and no evaluation.
      await page.goto(`${server.url}?wasm=/missing/core.wasm`);
      await page.waitForFunction(() => document.getElementById('status')!.dataset.error === 'true', null, { timeout: 30_000 });
      expect(await page.textContent('#status')).toMatch(/^the engine failed to load: EngineError: core\.wasm could not be fetched from http:\/\/127\.0\.0\.1:\d+\/missing\/core\.wasm: HTTP 404$/);
      expect(await page.isDisabled('#evaluate')).toBe(true);
    } finally {
      await chromium.close();
      await server.close();
    }
  }, SLOW);

  it('worker: workerd serve examples/worker/config.capnp answers POSTed intents with decisions', async () => {
    const server = await R.startWorkerd(join(ROOT, 'examples/worker/config.capnp'));
    try {
      const post = async (body: string) => {
        const r = await fetch(server.url, { method: 'POST', body, signal: AbortSignal.timeout(10_000) });
        return { status: r.status, type: r.headers.get('content-type'), json: await r.json() };
      };
      const ctx = { identity: 'agent.web', workspace: '/srv/app', risk_class: 'medium' };
      const read = await post(JSON.stringify({ tool_name: 'tool.read', context: ctx }));
      expect(read).toMatchObject({ status: 200, type: 'application/json', json: { ok: true, verdict: 'allow', reason_codes: ['safe_read_allowed'], matched_rule: 'allow-reads' } });
      expect((await post(JSON.stringify({ tool_name: 'tool.write', context: ctx }))).json.verdict).toBe('require_approval');
      expect((await post(JSON.stringify({ tool_name: 'tool.delete', context: ctx }))).json.verdict).toBe('block');
      expect((await post(JSON.stringify({ tool_name: 'tool.unknown', context: ctx }))).json.reason_codes).toEqual(['default_block']);
      const bad = await post('{"tool_name":"tool.read"}');
      expect(bad).toEqual({ status: 400, type: 'application/json', json: { ok: false, error: 'normalize intent: context.identity is required', error_category: 'invalid_input' } });
      expect((await post('{nope')).json.error).toMatch(/^parse intent json: /);
      const get = await fetch(server.url, { signal: AbortSignal.timeout(10_000) });
      expect(get.status).toBe(405);
      await get.arrayBuffer();
      // The same decision as the Node build gives for the same policy and intent.
      const node = await import(/* @vite-ignore */ '../../dist/bundle/node.js');
      const gate = node.createGate(readFileSync(join(ROOT, 'examples/worker/policy.yaml'), 'utf8'));
      expect(read.json).toEqual(JSON.parse(JSON.stringify(gate.check({ tool_name: 'tool.read', context: ctx }))));
    } finally {
      await server.stop();
    }
  }, SLOW);
});

describe('the packed package, installed in a scratch project', () => {
  it('ships one core.wasm, and node, bun and deno run the examples from it by package name', async () => {
    const pack = await R.exec('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch]);
    expect(pack.code, pack.stderr).toBe(0);
    const [info] = JSON.parse(pack.stdout);
    const files: string[] = info.files.map((f: { path: string }) => f.path);
    expect(files.filter((f) => f.endsWith('.wasm'))).toEqual(['dist/core.wasm']);
    for (const b of ['node', 'deno', 'browser', 'workerd', 'portable']) expect(files).toContain(`dist/bundle/${b}.js`);
    expect(files).toContain('dist/load/portable.d.ts');

    const project = join(scratch, 'project');
    const pkgDir = join(project, 'node_modules/gait-wasm');
    mkdirSync(pkgDir, { recursive: true });
    const untar = await R.exec('tar', ['xzf', join(scratch, info.filename), '-C', pkgDir, '--strip-components=1']);
    expect(untar.code, untar.stderr).toBe(0);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { 'gait-wasm': info.version } }));
    for (const f of ['main.mjs', 'policy.yaml']) cpSync(join(ROOT, 'examples/node', f), join(project, f));
    cpSync(join(ROOT, 'examples/deno/main.ts'), join(project, 'main.ts'));

    const node = await R.exec(process.execPath, ['main.mjs'], { cwd: project });
    expect(node.stdout, node.stderr).toBe(EXPECTED_TOOL_OUTPUT);
    const bun = await R.exec(R.bin('bun'), ['main.mjs'], { cwd: project });
    expect(bun.stdout, bun.stderr).toBe(EXPECTED_TOOL_OUTPUT);
    const deno = await R.exec(R.bin('deno'), ['run', '--allow-read', '--no-lock', 'main.ts'], { cwd: project, env: NO_COLOR });
    expect(deno.stdout, deno.stderr).toBe(EXPECTED_TOOL_OUTPUT);
    // Deno type-checks the example against the package's declarations (the `types` export).
    const check = await R.exec(R.bin('deno'), ['check', '--no-lock', 'main.ts'], { cwd: project, env: NO_COLOR });
    expect(check.code, check.stderr).toBe(0);
  }, SLOW);
});

