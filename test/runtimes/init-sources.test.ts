// What init()/initSync()/instantiate() accept, from any realm, and what the entries do when
// bundled away from dist/core.wasm: nothing fails at import time, and a missing core.wasm is an
// EngineError that lists where it was looked for and shows the call that fixes it.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
// @ts-expect-error plain ESM helpers without type declarations
import * as R from './runtimes.mjs';

type Entry = typeof import('../../bindings/load/portable.js');
const load = (name: string): Promise<Entry> => import(/* @vite-ignore */ `../../dist/bundle/${name}.js`);
const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));
const WASM = readFileSync(join(DIST, 'core.wasm'));
const POLICY = 'default_verdict: allow\nrules:\n  - name: block-delete\n    effect: block\n    match: {tool_names: [tool.delete]}\n';
const DELETE = { tool_name: 'tool.delete', args: { path: '/tmp/x' }, context: { identity: 'alice', workspace: '/w', risk_class: 'low' } };

// Another realm, as a Vercel/edge host, an iframe or a vm context hands them over.
const realm = vm.createContext({ bytes: new Uint8Array(WASM) });
const foreignModule = vm.runInContext('new WebAssembly.Module(bytes)', realm) as WebAssembly.Module;
const foreignBuffer = vm.runInContext('bytes.slice().buffer', realm) as ArrayBuffer;

const tmp = mkdtempSync(join(tmpdir(), 'gait-init-sources-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('init sources from any realm', () => {
  it('a WebAssembly.Module from another realm is accepted everywhere a module is', async () => {
    expect(foreignModule instanceof WebAssembly.Module).toBe(false); // the case instanceof missed
    for (const name of ['node', 'portable', 'browser']) {
      const g = await load(name);
      expect(g.createGate(g.instantiateSync(foreignModule), POLICY).check(DELETE).verdict, name).toBe('block');
      expect(g.createGate(await g.instantiate(foreignModule), POLICY).check(DELETE).verdict, name).toBe('block');
      expect(g.initSync(foreignModule), name).toBe(g.defaultEngine());
      expect(await g.init(foreignModule), name).toBe(g.defaultEngine());
      expect(g.createGate(POLICY).check(DELETE).verdict, name).toBe('block');
    }
  });

  it('bytes as any ArrayBuffer or view (another realm, a DataView, an offset slice)', async () => {
    const padded = new Uint8Array(WASM.length + 8);
    padded.set(WASM, 8);
    const g = await load('portable');
    for (const bytes of [foreignBuffer, new DataView(WASM.buffer, WASM.byteOffset, WASM.byteLength), padded.subarray(8), new Int8Array(padded.buffer, 8)]) {
      expect(g.createGate(g.initSync(bytes), POLICY).check(DELETE).verdict).toBe('block');
      expect(g.createGate(await g.init(bytes), POLICY).check(DELETE).verdict).toBe('block');
    }
  });

  it('a Response-like object from another fetch implementation is read as a Response', async () => {
    const g = await load('portable');
    const foreign = { ok: true, status: 200, headers: new Headers(), arrayBuffer: async () => WASM.buffer.slice(WASM.byteOffset, WASM.byteOffset + WASM.byteLength) };
    expect(g.createGate(await g.init(foreign as unknown as Response), POLICY).check(DELETE).verdict).toBe('block');
  });

  it('anything else is an EngineError that says what init() takes', async () => {
    for (const name of ['node', 'portable', 'browser']) {
      const g = await load(name);
      for (const bad of [42, {}, null, true]) {
        const err = await g.init(bad as never).catch((e: unknown) => e);
        expect(err, `${name} init(${JSON.stringify(bad)})`).toBeInstanceOf(g.EngineError);
        expect((err as Error).message).toMatch(/^init\(\) takes a WebAssembly\.Module, the bytes of core\.wasm \(an ArrayBuffer or a view\), a Response or a URL; got /);
        expect(() => g.initSync(bad as never)).toThrow(/^initSync\(\) takes a WebAssembly\.Module or the bytes of core\.wasm \(an ArrayBuffer or a view\); got /);
      }
      await expect(g.instantiate({} as never)).rejects.toThrow(/^instantiate\(\) takes a WebAssembly\.Module, the bytes of core\.wasm \(an ArrayBuffer or a view\) or a Response; got an object/);
    }
  });
});

describe.each([['browser', 'browser'], ['compiled-browser', 'browser-compiled']])('the %s bundle bundled where import.meta.url is gone (IIFE, CommonJS, edge functions)', (bundle, entry) => {
  it('imports without throwing; init() says what it tried and how to pass core.wasm; initSync(bytes) works', async () => {
    const out = await build({
      stdin: { contents: `export * from './dist/bundle/${bundle}.js';`, resolveDir: join(DIST, '..'), loader: 'js' },
      bundle: true, format: 'iife', globalName: 'gait', platform: 'neutral', write: false, logLevel: 'silent',
    });
    const sandbox = vm.createContext({ WebAssembly, TextEncoder, TextDecoder, URL, fetch, Response, Headers, console, crypto });
    const g = vm.runInContext(`${out.outputFiles[0]!.text}; gait`, sandbox) as Entry; // the import itself
    expect(g.RUNTIME_ENTRY).toBe(entry);
    const err = await g.init().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(g.EngineError);
    expect((err as Error).message).toMatch(/^core\.wasm not found: this script's own URL is unknown here/);
    expect((err as Error).message).toMatch(/await init\(new URL\('\/assets\/core\.wasm', location\.href\)\)/);
    expect((err as Error).message).toMatch(/initSync\(bytes\)/);
    await expect(g.init('core.wasm')).rejects.toThrow(/^core\.wasm: cannot resolve the relative URL "core\.wasm" here \(no page or script URL\): pass an absolute URL/);
    const engine = g.initSync(WASM);
    expect(g.defaultEngine()).toBe(engine);
    if (bundle === 'browser') {
      // JSON text: a plain object from this realm is not a plain object in the sandbox's.
      expect(g.createGate(POLICY).check(JSON.stringify(DELETE)).verdict).toBe('block');
    }
  });
});

describe.each(['node', 'compiled-node'])('the %s bundle bundled away from dist/core.wasm', (bundle) => {
  // The bundle copied into an app folder, as esbuild or bun build --target=node leave it.
  const app = join(tmp, bundle);
  mkdirSync(join(app, 'out'), { recursive: true });
  copyFileSync(join(DIST, `bundle/${bundle}.js`), join(app, 'out/server.mjs'));
  const run = () =>
    R.exec(process.execPath, ['--input-type=module', '-e', `
      const g = await import(${JSON.stringify(join(app, 'out/server.mjs'))});
      try { g.initSync(); console.log(g.defaultEngine() instanceof g.Engine ? 'loaded' : 'no engine'); }
      catch (e) { console.log(e.name + ': ' + e.message); }`], { cwd: app });

  it('no core.wasm anywhere: an EngineError listing the paths tried and the initSync(readFileSync(...)) fix', async () => {
    const r = await run();
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^EngineError: core\.wasm not found; gait-wasm looked for:\n/);
    for (const p of [join(app, 'core.wasm'), join(app, 'out/core.wasm')]) expect(r.stdout).toContain(`  ${p}\n`);
    expect(r.stdout).toMatch(/the installed package "gait-wasm\/core\.wasm" \(from .*out\/server\.mjs\): not found/);
    expect(r.stdout).toContain("initSync(readFileSync(new URL('./core.wasm', import.meta.url)))");
  });

  it('finds core.wasm copied next to the bundle', async () => {
    copyFileSync(join(DIST, 'core.wasm'), join(app, 'out/core.wasm'));
    try {
      expect((await run()).stdout.trim()).toBe('loaded');
    } finally {
      rmSync(join(app, 'out/core.wasm'));
    }
  });

  it('finds the installed package (node_modules/gait-wasm/dist/core.wasm)', async () => {
    const pkg = join(app, 'node_modules/gait-wasm');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'gait-wasm', type: 'module', exports: { './core.wasm': './dist/core.wasm' } }));
    copyFileSync(join(DIST, 'core.wasm'), join(pkg, 'dist/core.wasm'));
    expect((await run()).stdout.trim()).toBe('loaded');
  });
});
